import { z } from "zod";
import { policyHostCheck } from "@/lib/net/address-policy";
import { noNulCheck, plainTextCheck } from "@/lib/plain-text";
import { parseAddress } from "./decode";
import { conventionsByKind, defaultPrefixes, sourceKinds } from "./types";

const ZName = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "may hold only lowercase letters, digits and '-', starting with a letter or digit")
  .refine((name) => name !== "builtin", "'builtin' is the built-in registry's name");

// Sources are reached from the collectors' hosts: host:port, or an http(s) URL for etcd.
const ZEndpoint = z
  .string()
  .trim()
  .max(256, "must be at most 256 characters")
  .regex(/^(https?:\/\/)?[A-Za-z0-9.-]+:\d{1,5}$|^(https?:\/\/)?\[[0-9a-fA-F:.]+\]:\d{1,5}$/, "must be host:port (or http(s)://host:port for etcd)")
  .refine((endpoint) => parseAddress(endpoint) !== null, "the port must be between 1 and 65535")
  .check(policyHostCheck((endpoint) => parseAddress(endpoint)?.host ?? null));

const ZPem = z
  .string()
  .max(16_384, "must be at most 16 KiB")
  .check(noNulCheck)
  .regex(/-----BEGIN [A-Z ]+-----/, "must be PEM text (-----BEGIN ...-----)");

export const ZSourceInput = z
  .strictObject({
    name: ZName,
    kind: z.enum(sourceKinds),
    convention: z.enum(["url", "go-micro", "grpc", "kratos", "dubbo", "curator", "catalog"]),
    endpoints: z.array(ZEndpoint).min(1, "give at least one endpoint").max(16, "at most 16 endpoints"),
    prefix: z.string().max(512, "must be at most 512 characters").check(plainTextCheck()).optional(),
    username: z.string().max(256).check(plainTextCheck()).optional(),
    password: z.string().max(1024).check(noNulCheck).optional(),
    tls: z.strictObject({ ca: ZPem, cert: ZPem.optional(), key: ZPem.optional() }).optional(),
    enabled: z.boolean().default(true),
  })
  .superRefine((input, ctx) => {
    if (!(conventionsByKind[input.kind] as readonly string[]).includes(input.convention)) {
      ctx.addIssue({ code: "custom", path: ["convention"], message: `${input.kind} sources read ${conventionsByKind[input.kind].join(", ")}` });
    }
    if (input.kind === "zookeeper" && input.prefix !== undefined && !input.prefix.startsWith("/")) {
      ctx.addIssue({ code: "custom", path: ["prefix"], message: "a ZooKeeper base path starts with '/'" });
    }
    if (input.kind === "consul" && input.prefix !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(input.prefix)) {
      ctx.addIssue({ code: "custom", path: ["prefix"], message: "a Consul datacenter is letters, digits, '_' and '-'; leave it out for the agent's own" });
    }
    if (input.kind === "consul" && input.username) {
      ctx.addIssue({ code: "custom", path: ["username"], message: "Consul takes an ACL token (the password field) and no username" });
    }
    if (input.prefix === "")
      ctx.addIssue({ code: "custom", path: ["prefix"], message: "must not be empty; '/' reads every key, '/*' only the single-segment ones" });
    if (input.kind === "zookeeper" && input.prefix?.includes("*"))
      ctx.addIssue({ code: "custom", path: ["prefix"], message: "a ZooKeeper base path is a path, not a pattern" });
    if (input.kind !== "consul" && Boolean(input.username) !== Boolean(input.password)) {
      ctx.addIssue({ code: "custom", path: [input.username ? "password" : "username"], message: "give both a username and a password, or neither" });
    }
    if (input.tls && Boolean(input.tls.cert) !== Boolean(input.tls.key)) {
      ctx.addIssue({
        code: "custom",
        path: ["tls", input.tls.cert ? "key" : "cert"],
        message: "a client certificate needs its key, and the key its certificate",
      });
    }
  })
  .transform((input) => ({ ...input, prefix: input.prefix ?? defaultPrefixes[input.convention] }));

export type TSourceInput = z.infer<typeof ZSourceInput>;
