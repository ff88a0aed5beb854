// withSpooledBody (src/http/upload-spool.ts): an upload is read from a private temporary file once
// it is whole; beyond the limit the client gets the error's answer, and no file is left behind.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { afterAll, beforeAll, expect, it } from "vitest";
import { removeStaleSpools, withSpooledBody } from "../../src/http/upload-spool.js";

const LIMIT = 10_000;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    withSpooledBody(req, LIMIT, () => new Error("too large"), async (body) => {
      let bytes = 0;
      for await (const chunk of body) bytes += chunk.length;
      return bytes;
    }).then(
      (bytes) => res.end(String(bytes)),
      (error: Error) => res.writeHead(error.message === "too large" ? 413 : 500, { connection: "close" }).end(error.message),
    );
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Files this process holds open under a spool directory. */
const openSpoolFiles = () => fs.readdirSync("/proc/self/fd").filter((fd) => {
  try { return fs.readlinkSync(`/proc/self/fd/${fd}`).includes("hr-scim-upload-"); } catch { return false; }
});

const spoolDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("hr-scim-upload-")).length;

it("hands the whole body to the reader and removes its file", async () => {
  const before = spoolDirs();
  const res = await fetch(url, { method: "POST", body: "x".repeat(LIMIT) });
  expect(await res.text()).toBe(String(LIMIT));
  expect(spoolDirs()).toBe(before);
});

it("answers a body over the limit with the error, not a cut connection, and removes its file", async () => {
  const before = spoolDirs();
  const res = await fetch(url, { method: "POST", body: "x".repeat(LIMIT * 20) });
  expect(res.status).toBe(413);
  expect(await res.text()).toBe("too large");
  expect(spoolDirs()).toBe(before);
});

it("closes the file when its reader stops early, so that no descriptor keeps the removed file", async () => {
  const { Readable } = await import("node:stream");
  const req = Readable.from([Buffer.from("x".repeat(200_000))]);
  await expect(withSpooledBody(req, LIMIT * 100, () => new Error("too large"), async (body) => {
    // Read as the CSV parser reads it: the iterator by hand, abandoned without return().
    await body[Symbol.asyncIterator]().next();
    throw new Error("refused at the header");
  })).rejects.toThrow("refused at the header");
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(openSpoolFiles()).toEqual([]);
});

it("removes the spool directories a stopped process left behind, not a recent one", async () => {
  const dir = fs.mkdtempSync(`${os.tmpdir()}/spool-test-`);
  try {
    const old = `${dir}/hr-scim-upload-old`;
    const recent = `${dir}/hr-scim-upload-recent`;
    fs.mkdirSync(old);
    fs.writeFileSync(`${old}/body`, "employeeNumber,login\n");
    fs.mkdirSync(recent);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
    expect(await removeStaleSpools(new Date(), 60 * 60 * 1000, dir)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(["hr-scim-upload-recent"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
