// The app behind src/http/server.ts on a real socket, and raw requests to it: for what no client
// library sends (an over-long request line, bytes that are not HTTP).
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Express } from "express";
import { createServer } from "../../src/http/server.js";

/** The app served as in production, on a free port of 127.0.0.1. */
export async function listenOnSocket(app: Express): Promise<Server> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Sends raw bytes and reads the whole answer (the server closes these connections). */
export function sendRaw(server: Server, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1", () => socket.write(request));
    let data = "";
    socket.on("data", (chunk) => { data += chunk; });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, ...rest] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head, body: rest.join("\r\n\r\n") });
    });
  });
}
