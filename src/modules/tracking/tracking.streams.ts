/**
 * Live streams of tracking events (GET /api/v1/tracking/stream) that do not amplify: however many streams follow a
 * reference, a process reads each new event of it once, decides once per event and viewer who may see it, and
 * hands each stream only that.
 *
 *            ingest / poll (one timer)          per reference followed               per viewer
 *   log ──▶  heads of followed refs  ──▶  read new events once (a page)  ──▶  entitlement once  ──▶  each stream's
 *            (one query, projection)                                                              bounded queue ─▶ socket
 *
 * A viewer's standing on the reference is read once and then kept up to date from the new events themselves
 * (tracking.access.ts, Standing), so deciding who sees an event does not read the reference's history again.
 * A stream that resumes from an older Last-Event-ID first catches up on its own, a page at a time and only as fast
 * as its client reads, then joins the shared read. A client that falls more than `queue` events behind is sent a
 * last `resume` event and closed: it reconnects with Last-Event-ID (browsers do) and misses nothing. Open streams
 * are capped per API key (or portal user) and per party, in each process.
 */
import type { Principal } from '../parties/index.js';
import { KouanError } from '../../shared/errors.js';
import { Worker } from '../../shared/worker.js';
import { keyText, type ReferenceKey } from './tracking.repository.js';
import type { TimelineQuery, TrackingEventView } from './tracking.schema.js';
import type { TrackingService } from './tracking.service.js';

/** Where a stream's text goes: a socket in practice. `write` answers false when the client is not keeping up. */
export interface StreamSink {
  write(text: string): boolean;
  /** Called when a refused write has been taken by the client. */
  onDrain(listener: () => void): void;
  end(): void;
}

/** What the streams read through: the tracking service's reads and its entitlement rule. */
export type StreamSource = Pick<TrackingService, 'followable' | 'headOf' | 'headsOf' | 'eventsAfter' | 'allEventsAfter' | 'standingOf' | 'onAppended'>;

export interface StreamLimits {
  /** Open streams per API key (a portal session counts as its user's key). */
  readonly perKey: number;
  readonly perParty: number;
  /** Events one stream may have waiting for its client. */
  readonly queue: number;
}

/** Events read per statement, by the shared read and by a stream catching up. */
const PAGE = 500;
const HEARTBEAT_MS = 15_000;

/** SSE text (one or more messages), the seq a client resumes after once it has it, and the events it carries. */
interface Message {
  readonly text: string;
  readonly seq: number | undefined;
  readonly events?: number;
}

/** Each event's SSE text, made once however many streams it goes to. */
const eventTexts = new WeakMap<TrackingEventView, string>();

function eventText(event: TrackingEventView): string {
  let text = eventTexts.get(event);
  if (text === undefined) {
    text = `id: ${event.seq}\nevent: tracking\ndata: ${JSON.stringify(event)}\n\n`;
    eventTexts.set(event, text);
  }
  return text;
}

function passedOver(seq: number): Message {
  return { text: `id: ${seq}\n: passed over events that are not yours\n\n`, seq };
}

/**
 * What a stream holds between the fan-out and its client: messages the socket would not take yet, at most `limit`.
 * Memory per stream is bounded by it; `offer` says when the client is too far behind.
 */
export class StreamQueue {
  private readonly pending: Message[] = [];
  /** Events in `pending`. */
  private waiting = 0;
  private blocked = false;
  private waiters: (() => void)[] = [];
  /** The seq of the last message handed to the socket: where the client resumes if the stream ends now. */
  delivered: number;

  constructor(
    private readonly sink: StreamSink,
    private readonly limit: number,
    start: number,
  ) {
    this.delivered = start;
    sink.onDrain(() => this.flush());
  }

  /** Sends the message, or keeps it until the client drains; false (nothing kept) when it would make more than `limit` events wait. */
  offer(message: Message): boolean {
    if (!this.blocked && this.pending.length === 0) {
      this.send(message);
      return true;
    }
    const events = message.events ?? 1;
    if (this.waiting + events > this.limit) return false;
    this.pending.push(message);
    this.waiting += events;
    return true;
  }

  /** Nothing waiting and the socket taking more. */
  get idle(): boolean {
    return !this.blocked && this.pending.length === 0;
  }

  /** Events waiting for the client. */
  get size(): number {
    return this.waiting;
  }

  /** Resolves once nothing is waiting. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what waits, and releases whoever waits for the queue. */
  clear(): void {
    this.pending.length = 0;
    this.waiting = 0;
    this.release();
  }

  /** Writes a last message past the bound (the socket buffers it before it closes). */
  finish(message: Message): void {
    this.send(message);
  }

  private send(message: Message): void {
    this.blocked = !this.sink.write(message.text);
    if (message.seq !== undefined) this.delivered = message.seq;
  }

  private flush(): void {
    this.blocked = false;
    while (!this.blocked && this.pending.length > 0) {
      const next = this.pending.shift();
      if (next === undefined) break;
      this.waiting -= next.events ?? 1;
      this.send(next);
    }
    if (this.idle) this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

interface Follower {
  readonly caller: Principal;
  readonly viewer: string;
  readonly topic: Topic;
  readonly queue: StreamQueue;
  /** The last seq this stream has been given (or passed over). */
  cursor: number;
  /** Fed by the shared read; false while it catches up on its own. */
  live: boolean;
  closed: boolean;
  /** Ends the sink and gives the caller's slot back. */
  readonly end: () => void;
}

/** The followers of one reference, how far the shared read of it has got, and each viewer's standing on it. */
interface Topic {
  readonly key: ReferenceKey;
  readonly text: string;
  readonly followers: Set<Follower>;
  readonly standings: Map<string, ReturnType<StreamSource['standingOf']>>;
  cursor: number;
}

/** A stream admitted (counted against the caps) but not yet attached to its socket. */
export interface StreamTicket {
  /** Starts sending to the sink; returns how to stop (the client went away). */
  attach(sink: StreamSink): Promise<() => void>;
  /** Gives the slot back without ever attaching. */
  cancel(): void;
}

export class TrackingStreams {
  private readonly topics = new Map<string, Topic>();
  private readonly perKey = new Map<string, number>();
  private readonly perParty = new Map<string, number>();
  private readonly reader = new Worker();
  /** The shared read failed last time (the store is down): said once, tried again at every wake-up. */
  private failing = false;
  private poll: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly tracking: StreamSource,
    private readonly limits: StreamLimits,
    private readonly pollMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Admits a stream of the reference for the caller: NOT_FOUND without standing on it (timeline rules),
   * STREAM_LIMIT when the caller's key or party has as many open as allowed. It starts after `lastEventId`, or with
   * the next event.
   */
  async admit(caller: Principal, query: TimelineQuery, lastEventId: number | undefined): Promise<StreamTicket> {
    const key = await this.tracking.followable(caller, query);
    this.take(caller);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.give(caller);
    };
    return {
      attach: async (sink) => {
        try {
          return await this.attach(caller, key, lastEventId, sink, release);
        } catch (error) {
          release();
          throw error;
        }
      },
      cancel: release,
    };
  }

  /** Open streams in this process. */
  get open(): number {
    let count = 0;
    for (const topic of this.topics.values()) count += topic.followers.size;
    return count;
  }

  /** Ends every stream (clients reconnect with Last-Event-ID) and stops reading. */
  closeAll(): void {
    for (const topic of [...this.topics.values()]) for (const follower of [...topic.followers]) this.drop(follower, undefined);
  }

  private take(caller: Principal): void {
    const byKey = this.perKey.get(caller.keyId) ?? 0;
    if (byKey >= this.limits.perKey) throw new KouanError('STREAM_LIMIT', { params: { limit: String(this.limits.perKey), per: 'API key' } });
    const byParty = this.perParty.get(caller.partyId) ?? 0;
    if (byParty >= this.limits.perParty) throw new KouanError('STREAM_LIMIT', { params: { limit: String(this.limits.perParty), per: 'party' } });
    this.perKey.set(caller.keyId, byKey + 1);
    this.perParty.set(caller.partyId, byParty + 1);
  }

  private give(caller: Principal): void {
    const byKey = (this.perKey.get(caller.keyId) ?? 1) - 1;
    if (byKey <= 0) this.perKey.delete(caller.keyId);
    else this.perKey.set(caller.keyId, byKey);
    const byParty = (this.perParty.get(caller.partyId) ?? 1) - 1;
    if (byParty <= 0) this.perParty.delete(caller.partyId);
    else this.perParty.set(caller.partyId, byParty);
  }

  private async attach(caller: Principal, key: ReferenceKey, lastEventId: number | undefined, sink: StreamSink, release: () => void): Promise<() => void> {
    const head = await this.tracking.headOf(key);
    const text = keyText(key);
    // A new topic's shared read starts at the head: what commits later has a higher seq (per reference, log order
    // is commit order). Looked up after the await, so two first followers share one topic.
    const topic = this.topics.get(text) ?? { key, text, followers: new Set<Follower>(), standings: new Map(), cursor: head };
    this.topics.set(text, topic);
    const start = lastEventId ?? head;
    const follower: Follower = {
      caller,
      viewer: viewerOf(caller),
      topic,
      queue: new StreamQueue(sink, this.limits.queue, start),
      cursor: start,
      live: false,
      closed: false,
      end: () => {
        release();
        sink.end();
      },
    };
    topic.followers.add(follower);
    this.started();
    void this.catchUp(follower);
    return () => this.drop(follower, undefined);
  }

  /** Reads the follower's own history up to the shared read, as fast as its client takes it, then joins it. */
  private async catchUp(follower: Follower): Promise<void> {
    try {
      for (;;) {
        if (follower.closed) return;
        // Synchronously after the last await: nothing can be delivered between this check and joining.
        if (follower.cursor >= follower.topic.cursor) {
          follower.live = true;
          this.standingFor(follower);
          return;
        }
        // No more than the queue holds, so that a client that reads at all always gets on.
        const page = await this.tracking.eventsAfter(follower.caller, follower.topic.key, follower.cursor, Math.min(PAGE, this.limits.queue));
        if (follower.closed) return;
        if (!this.deliver(follower, page.events, page.next, page.read)) return;
        await follower.queue.whenIdle();
      }
    } catch (error) {
      this.onError(error);
      this.drop(follower, undefined);
    }
  }

  /**
   * Hands a follower its visible events up to `next`, as one write (at most `queue` events each); false when it
   * fell too far behind and was closed.
   */
  private deliver(follower: Follower, visible: readonly TrackingEventView[], next: number, read: number): boolean {
    const fresh = visible.filter((event) => event.seq > follower.cursor);
    for (let start = 0; start < fresh.length; start += this.limits.queue) {
      const chunk = fresh.slice(start, start + this.limits.queue);
      const last = chunk.at(-1)?.seq ?? follower.cursor;
      if (!follower.queue.offer({ text: chunk.map(eventText).join(''), seq: last, events: chunk.length })) {
        this.drop(follower, 'behind');
        return false;
      }
      follower.cursor = last;
    }
    if (next > follower.cursor) {
      // Hidden events still move the client's Last-Event-ID on, so a reconnect does not read them again.
      if (read > 0 && !follower.queue.offer(passedOver(next))) {
        this.drop(follower, 'behind');
        return false;
      }
      follower.cursor = next;
    }
    return true;
  }

  private started(): void {
    if (this.poll !== undefined) return;
    this.unlisten = this.tracking.onAppended(() => this.wake());
    this.poll = setInterval(() => this.wake(), this.pollMs);
    this.poll.unref();
    this.heartbeat = setInterval(() => this.keepAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopped(): void {
    if (this.topics.size > 0 || this.poll === undefined) return;
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    this.unlisten?.();
    this.poll = undefined;
    this.heartbeat = undefined;
    this.unlisten = undefined;
  }

  private wake(): void {
    this.reader.run(
      async () => {
        await this.readShared();
        this.failing = false;
      },
      (error) => {
        // The streams stay open and the read is retried: a store fault is waited out, not passed to every client.
        if (!this.failing) this.onError(error);
        this.failing = true;
      },
    );
  }

  /** One pass of the shared read: which followed references have new events, then each of those once. */
  private async readShared(): Promise<void> {
    const topics = [...this.topics.values()];
    if (topics.length === 0) return;
    const heads = await this.tracking.headsOf(topics.map((topic) => topic.key));
    for (const topic of topics) {
      while ((heads.get(topic.text) ?? 0) > topic.cursor && this.topics.get(topic.text) === topic) {
        const events = await this.tracking.allEventsAfter(topic.key, topic.cursor, PAGE);
        if (events.length === 0) break;
        const next = events.at(-1)?.seq ?? topic.cursor;
        // Moved on before any await, so that a stream finishing its catch-up from now on reads this page itself.
        topic.cursor = next;
        const viewers = new Map<string, Follower[]>();
        for (const follower of topic.followers) {
          if (!follower.live || follower.closed) continue;
          const group = viewers.get(follower.viewer) ?? [];
          group.push(follower);
          viewers.set(follower.viewer, group);
        }
        for (const viewer of topic.standings.keys()) if (!viewers.has(viewer)) topic.standings.delete(viewer);
        for (const group of viewers.values()) {
          const [first] = group;
          if (first === undefined) continue;
          const visible = await this.standingFor(first).visible(events);
          for (const follower of group) if (!follower.closed) this.deliver(follower, visible, next, events.length);
        }
        if (events.length < PAGE) break;
      }
    }
  }

  /** The standing of the follower's viewer on its topic, read ahead when it is new (the first live follower). */
  private standingFor(follower: Follower): ReturnType<StreamSource['standingOf']> {
    const held = follower.topic.standings.get(follower.viewer);
    if (held !== undefined) return held;
    const standing = this.tracking.standingOf(follower.caller);
    standing.prime(follower.topic.key);
    follower.topic.standings.set(follower.viewer, standing);
    return standing;
  }

  private keepAlive(): void {
    for (const topic of this.topics.values()) for (const follower of topic.followers) if (follower.queue.idle) follower.queue.offer({ text: ': keep-alive\n\n', seq: undefined });
  }

  /** Ends a follower; one that fell behind is told where to resume first. */
  private drop(follower: Follower, reason: 'behind' | undefined): void {
    if (follower.closed) return;
    follower.closed = true;
    follower.topic.followers.delete(follower);
    if (follower.topic.followers.size === 0 && this.topics.get(follower.topic.text) === follower.topic) this.topics.delete(follower.topic.text);
    follower.queue.clear();
    if (reason === 'behind') {
      const seq = follower.queue.delivered;
      follower.queue.finish({ text: `id: ${seq}\nevent: resume\ndata: ${JSON.stringify({ lastEventId: seq, reason: 'The client fell too far behind; reconnect with Last-Event-ID to continue' })}\n\n`, seq });
    }
    follower.end();
    this.stopped();
  }
}

/** Callers who see the same events: one entitlement serves all their streams. */
function viewerOf(caller: Principal): string {
  return [caller.tenant, caller.kind, caller.partyId, [...caller.roles].sort().join(',')].join('\n');
}
