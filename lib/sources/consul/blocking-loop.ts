// One Consul blocking query kept going, as https://developer.hashicorp.com/consul/api-docs/features/blocking asks:
// the index resets to 0 when it goes backwards and is never below 1, waits carry jitter, and a token bucket (burst 2)
// lets quick successive answers through but turns a churning result into a poll once a second.

/** How long each blocking request may wait; a few seconds of jitter spread the collectors' wake-ups. */
export function jitteredWaitMs(baseMs = 55_000, spreadMs = 10_000): number {
  return baseMs + Math.floor(Math.random() * spreadMs);
}

/** The index to block on next, from the one held and the one answered. */
export function nextIndex(held: number, answered: number): { index: number; reset: boolean } {
  if (answered < held) return { index: 0, reset: true };
  return { index: Math.max(1, answered), reset: false };
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst = 2,
    private readonly refillMs = 1000,
    private readonly now = () => Date.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Milliseconds to wait before the next request (0 when a token is at hand); takes the token. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.refillMs);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens * this.refillMs);
  }
}
