// Webhook delivery: signed exactly like Stripe (`Stripe-Signature: t=<unix>,v1=<hmac-sha256 hex of
// "t.payload">`), delivered at least once, retried with backoff on non-2xx or network errors. A
// control mode can hold events, repeat each one, and reverse their order to exercise the app's
// tolerance of duplicates and disorder.
import { createHmac } from "node:crypto";

export interface StoredEvent {
  id: string;
  type: string;
  created: number;
  json: string;
}

export interface WebhookMode {
  duplicates: number;
  order: "normal" | "reverse";
  hold: boolean;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: string;
}

export function signPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

interface QueuedDelivery {
  event: StoredEvent;
  attempt: number;
  generation: number;
}

export const defaultMode: WebhookMode = { duplicates: 1, order: "normal", hold: false };

export class WebhookDispatcher {
  mode: WebhookMode = { ...defaultMode };
  readonly deliveries: DeliveryAttempt[] = [];
  private queue: QueuedDelivery[] = [];
  private held: StoredEvent[] = [];
  private pumping = false;
  private timers = new Map<NodeJS.Timeout, QueuedDelivery>();
  private idleWaiters: Array<() => void> = [];
  private generation = 0;
  private closed = false;

  constructor(
    private readonly opts: {
      url: string | undefined;
      secret: string;
      retryDelaysMs: number[];
      timeoutMs: number;
      log?: (line: string) => void;
    },
  ) {}

  get enabled(): boolean {
    return this.opts.url !== undefined;
  }

  /** Events produced by one operation, in the order they happened. */
  enqueue(batch: StoredEvent[]): void {
    if (!this.enabled || batch.length === 0) return;
    if (this.mode.hold) {
      this.held.push(...batch);
      return;
    }
    this.schedule(batch);
  }

  /**
   * Releases held events, sends waiting retries now instead of after their backoff, and resolves
   * once everything queued (later retries included) is settled.
   */
  async flush(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const [timer, item] of this.timers) {
      clearTimeout(timer);
      this.queue.push(item);
    }
    this.timers.clear();
    this.schedule(held);
    await this.idle();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.generation++;
    this.mode = { ...defaultMode };
    this.queue = [];
    this.held = [];
    this.deliveries.length = 0;
    for (const t of this.timers.keys()) clearTimeout(t);
    this.timers.clear();
    this.notifyIfIdle();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private schedule(batch: StoredEvent[]): void {
    const ordered = this.mode.order === "reverse" ? [...batch].reverse() : batch;
    for (let copy = 0; copy < this.mode.duplicates; copy++) {
      for (const event of ordered) this.queue.push({ event, attempt: 1, generation: this.generation });
    }
    void this.pump();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && !this.pumping && this.timers.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // One delivery at a time, so "normal" order really arrives in order.
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (next.generation !== this.generation || this.closed) continue;
        await this.deliver(next);
      }
    } finally {
      this.pumping = false;
      this.notifyIfIdle();
    }
  }

  private async deliver(item: QueuedDelivery): Promise<void> {
    const url = this.opts.url;
    if (url === undefined) return;
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signPayload(item.event.json, this.opts.secret, timestamp),
        },
        body: item.event.json,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (item.generation !== this.generation) return;
    this.deliveries.push({
      eventId: item.event.id,
      type: item.event.type,
      attempt: item.attempt,
      status,
      error,
      at: new Date().toISOString(),
    });
    this.opts.log?.(`webhook ${item.event.type} ${item.event.id} attempt ${item.attempt} → ${status ?? error ?? "error"}`);
    const ok = status !== null && status >= 200 && status < 300;
    const delay = this.opts.retryDelaysMs[item.attempt - 1];
    if (ok || delay === undefined || this.closed) return;
    const retry = { ...item, attempt: item.attempt + 1 };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.push(retry);
      void this.pump();
    }, delay);
    this.timers.set(timer, retry);
  }
}
