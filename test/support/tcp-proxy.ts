// A TCP proxy a test can cut, to play a database outage against a real PostgreSQL: it forwards
// each connection to the target; cut() destroys every connection and then refuses new ones
// (the port is closed: ECONNREFUSED) or stalls them (accepted, never answered); restore() forwards
// again on the same port.
import net from "node:net";

export type CutMode = "refuse" | "stall";

export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private mode: "forward" | CutMode = "forward";
  private server: net.Server;

  private constructor(private readonly target: { host: string; port: number }, readonly port: number, server: net.Server) {
    this.server = server;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((socket) => proxy!.accept(socket));
    await listen(server, 0);
    proxy = new TcpProxy(target, (server.address() as net.AddressInfo).port, server);
    return proxy;
  }

  /** Destroys every connection, then refuses or stalls new ones until restore(). */
  async cut(mode: CutMode = "refuse"): Promise<void> {
    if (this.mode !== "forward") throw new Error("already cut");
    this.mode = mode;
    this.destroyAll();
    if (mode === "refuse") await close(this.server);
  }

  /** Forwards again, on the same port; stalled connections are dropped. */
  async restore(): Promise<void> {
    if (this.mode === "forward") return;
    const wasRefusing = this.mode === "refuse";
    this.mode = "forward";
    this.destroyAll();
    if (wasRefusing) {
      this.server = net.createServer((socket) => this.accept(socket));
      await listen(this.server, this.port);
    }
  }

  async close(): Promise<void> {
    this.destroyAll();
    if (this.server.listening) await close(this.server);
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.mode === "stall") return;
    if (this.mode === "refuse") { client.destroy(); return; }
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  private destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
