import { RegistryClient, type TRegistration } from "@/lib/clients/registry-client";

/**
 * Registers an instance and heartbeats it every second, as the demo fleet's instances do; until the registry takes
 * the registration, each beat tries it again. stop() deregisters, so the instance leaves discovery at once.
 */
export function keepRegistered({
  url,
  token,
  registration,
  onError,
  beatMs = 1000,
}: {
  url: string;
  token: string;
  registration: TRegistration;
  /** A registration refused or unreachable; said once per run of failures. */
  onError: (error: Error) => void;
  beatMs?: number;
}) {
  const client = new RegistryClient({ url, token });
  let registered = false;
  let failing = false;
  let busy = false;

  const beat = async () => {
    // A slow registry must not stack beats up.
    if (busy) return;
    busy = true;
    try {
      if (registered) await client.heartbeat(registration);
      else {
        await client.register(registration);
        registered = true;
        failing = false;
      }
    } catch (error) {
      if (!failing) onError(error as Error);
      failing = true;
    } finally {
      busy = false;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), beatMs);

  return {
    stop: async () => {
      clearInterval(timer);
      if (registered) await client.deregister(registration.id).catch(() => {});
    },
  };
}
