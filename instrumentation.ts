// Runs once when the Next.js server starts: the database, the registry's background work, the demo fleet.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startApp } = await import("./lib/server/start-app");
  await startApp();
}
