// A benchmark's command-line flags: `--name value` or `--name=value`.
export function flag(args: string[], name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at]!.includes("=") ? args[at]!.split("=")[1]! : (args[at + 1] ?? fallback);
}
