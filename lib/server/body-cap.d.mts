import type { IncomingMessage, ServerResponse } from "node:http";

export const defaultBodyLimit: number;
export function bodyLimitFor(path: string): number;
export function capBody(request: IncomingMessage, response: ServerResponse, limit: number): boolean;
