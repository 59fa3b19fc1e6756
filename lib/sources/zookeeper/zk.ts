import "server-only";
import zookeeper, { type Client, type Event } from "node-zookeeper-client";
import { asError } from "@/lib/errors";

// node-zookeeper-client's callbacks as promises; a node that is not there reads as null rather than an error.

export type TWatcher = (event: Event) => void;
export type TStat = { version: number };

const code = (error: unknown) => (error as { getCode?: () => number } | null)?.getCode?.();
export const isNoNode = (error: unknown) => code(error) === zookeeper.Exception.NO_NODE;
export const isNodeExists = (error: unknown) => code(error) === zookeeper.Exception.NODE_EXISTS;
export const isBadVersion = (error: unknown) => code(error) === zookeeper.Exception.BAD_VERSION;
export const isNotEmpty = (error: unknown) => code(error) === zookeeper.Exception.NOT_EMPTY;

export function getChildren(client: Client, path: string, watcher?: TWatcher): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown, children: string[]) => (error ? (isNoNode(error) ? resolve(null) : reject(asError(error))) : resolve(children));
    if (watcher) client.getChildren(path, watcher, done);
    else client.getChildren(path, done);
  });
}

export function getData(client: Client, path: string, watcher?: TWatcher): Promise<{ data: string; stat: TStat } | null> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown, data: Buffer | undefined, stat: TStat) =>
      error ? (isNoNode(error) ? resolve(null) : reject(asError(error))) : resolve({ data: data ? data.toString("utf8") : "", stat });
    if (watcher) client.getData(path, watcher, done);
    else client.getData(path, done);
  });
}

/** Whether the node is there; with a watcher, one that fires when it is created or deleted. */
export function exists(client: Client, path: string, watcher?: TWatcher): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const done = (error: unknown, stat: unknown) => (error ? reject(asError(error)) : resolve(!!stat));
    if (watcher) client.exists(path, watcher, done);
    else client.exists(path, done);
  });
}

export function mkdirp(client: Client, path: string): Promise<void> {
  return new Promise((resolve, reject) => client.mkdirp(path, (error: unknown) => (error ? reject(asError(error)) : resolve())));
}

/** Creates a node (persistent unless told); rejects with NODE_EXISTS when someone else did first. */
export function create(client: Client, path: string, data: string, mode = zookeeper.CreateMode.PERSISTENT): Promise<void> {
  return new Promise((resolve, reject) => client.create(path, Buffer.from(data), mode, (error: unknown) => (error ? reject(asError(error)) : resolve())));
}

/** Writes a node if it is still at `version` (-1: any); rejects with BAD_VERSION when it changed in between. */
export function setData(client: Client, path: string, data: string, version: number): Promise<void> {
  return new Promise((resolve, reject) => client.setData(path, Buffer.from(data), version, (error: unknown) => (error ? reject(asError(error)) : resolve())));
}

/** Deletes a node at `version` (-1: any); a node already gone is no error. */
export function remove(client: Client, path: string, version: number): Promise<void> {
  return new Promise((resolve, reject) => client.remove(path, version, (error: unknown) => (error && !isNoNode(error) ? reject(asError(error)) : resolve())));
}

export function joinPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}
