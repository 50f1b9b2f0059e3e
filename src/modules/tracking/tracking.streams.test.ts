/**
 * The live streams' fan-out and bounds, against an in-memory log: a slow client's queue never holds more than its
 * bound and the client is told where to resume; a new event is read once and judged once per viewer, however many
 * streams that viewer has; the caps per key and per party.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../parties/index.js';
import type { ReferenceKey } from './tracking.repository.js';
import type { TrackingEventView } from './tracking.schema.js';
import { StreamQueue, TrackingStreams, type StreamSink, type StreamSource } from './tracking.streams.js';

const KEY: ReferenceKey = { tenant: 'central', kind: 'container', value: 'MSKU1234565' };
const keyText = `${KEY.tenant}\n${KEY.kind}\n${KEY.value}`;

function principal(partyId: string, keyId = `key-${partyId}`): Principal {
  return { partyId, tenant: 'central', kind: 'enterprise', roles: ['declarant'], keyId };
}

class FakeSink implements StreamSink {
  readonly texts: string[] = [];
  writable = true;
  ended = false;
  private drainListener: (() => void) | undefined;
  write(text: string): boolean {
    this.texts.push(text);
    return this.writable;
  }
  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }
  end(): void {
    this.ended = true;
  }
  drain(): void {
    this.writable = true;
    this.drainListener?.();
  }
  /** The seqs of the tracking events written. */
  get seqs(): number[] {
    return [...this.texts.join('').matchAll(/^id: (\d+)\nevent: tracking$/gm)].map((match) => Number(match[1]));
  }
}

/** One reference's log in memory; party A sees everything, anyone else only what it published. */
class FakeLog implements StreamSource {
  readonly events: TrackingEventView[] = [];
  readonly calls = { visibleTo: 0, allEventsAfter: 0 };
  /** Reads of the heads that fail before they work again (the store is down). */
  failures = 0;
  private readonly listeners = new Set<() => void>();
  append(count: number, publisher = 'X'): void {
    for (let index = 0; index < count; index += 1) {
      const seq = this.events.length + 1;
      this.events.push({ eventId: `e${seq}`, eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-27T06:40:00.000Z', references: { container: KEY.value }, seq, publisher, receivedAt: '2026-11-27T06:41:00.000Z' });
    }
    for (const listener of this.listeners) listener();
  }
  private sees(caller: Principal, event: TrackingEventView): boolean {
    return caller.partyId === 'A' || event.publisher === caller.partyId;
  }
  followable(): Promise<ReferenceKey> {
    return Promise.resolve(KEY);
  }
  headOf(): Promise<number> {
    return Promise.resolve(this.events.length);
  }
  headsOf(): Promise<Map<string, number>> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('store unreachable'));
    }
    return Promise.resolve(new Map([[keyText, this.events.length]]));
  }
  eventsAfter(caller: Principal, _key: ReferenceKey, afterSeq: number, limit: number): Promise<{ events: TrackingEventView[]; next: number; read: number }> {
    const page = this.events.filter((event) => event.seq > afterSeq).slice(0, limit);
    return Promise.resolve({ events: page.filter((event) => this.sees(caller, event)), next: page.at(-1)?.seq ?? afterSeq, read: page.length });
  }
  allEventsAfter(_key: ReferenceKey, afterSeq: number, limit: number): Promise<TrackingEventView[]> {
    this.calls.allEventsAfter += 1;
    return Promise.resolve(this.events.filter((event) => event.seq > afterSeq).slice(0, limit));
  }
  standingOf(caller: Principal): { visible(events: readonly TrackingEventView[]): Promise<TrackingEventView[]>; prime(): void } {
    return {
      prime: () => undefined,
      visible: (events) => {
        this.calls.visibleTo += 1;
        return Promise.resolve(events.filter((event) => this.sees(caller, event)));
      },
    };
  }
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const QUERY = { container: KEY.value };
const LIMITS = { perKey: 50, perParty: 50, queue: 3 };

async function follow(streams: TrackingStreams, caller: Principal, lastEventId?: number, sink = new FakeSink()): Promise<{ sink: FakeSink; stop: () => void }> {
  const stop = await (await streams.admit(caller, QUERY, lastEventId)).attach(sink);
  return { sink, stop };
}

describe('StreamQueue', () => {
  it('holds at most its bound for a client that does not read, and sends what it held in order once it does', () => {
    const sink = new FakeSink();
    const queue = new StreamQueue(sink, 3, 0);
    sink.writable = false;
    const offered = Array.from({ length: 10 }, (_, index) => queue.offer({ text: `id: ${index + 1}\nevent: tracking\n\n`, seq: index + 1 }));
    // The first goes to the socket (which refuses more), three wait, the rest are refused: nothing grows.
    expect(offered).toEqual([true, true, true, true, false, false, false, false, false, false]);
    expect(queue.size).toBe(3);
    expect(queue.delivered).toBe(1);
    sink.drain();
    expect(sink.seqs).toEqual([1, 2, 3, 4]);
    expect(queue.size).toBe(0);
    expect(queue.delivered).toBe(4);
  });
});

describe('TrackingStreams', () => {
  it('reads a new event once and judges it once per viewer, whatever the number of streams', async () => {
    const log = new FakeLog();
    log.append(100);
    const streams = new TrackingStreams(log, LIMITS, 60_000, (error) => {
      throw error;
    });
    const a = await Promise.all(Array.from({ length: 10 }, () => follow(streams, principal('A'))));
    const b = await Promise.all(Array.from({ length: 10 }, () => follow(streams, principal('B'))));
    log.calls.visibleTo = 0;
    log.calls.allEventsAfter = 0;
    log.append(3, 'X');
    log.append(2, 'B');
    await vi.waitFor(() => expect(a.every(({ sink }) => sink.seqs.length === 5) && b.every(({ sink }) => sink.seqs.length === 2)).toBe(true));
    // Two viewers on one topic: A sees all five, B only its own two.
    expect(a[0]?.sink.seqs).toEqual([101, 102, 103, 104, 105]);
    expect(b[0]?.sink.seqs).toEqual([104, 105]);
    // Two wake-ups at most (one per append), each one read and one entitlement per viewer.
    expect(log.calls.allEventsAfter).toBeLessThanOrEqual(2);
    expect(log.calls.visibleTo).toBeLessThanOrEqual(4);
    for (const { stop } of [...a, ...b]) stop();
    expect(streams.open).toBe(0);
  });

  it('closes a client that falls behind with where to resume, and a resume from there misses nothing', async () => {
    const log = new FakeLog();
    const streams = new TrackingStreams(log, LIMITS, 60_000, (error) => {
      throw error;
    });
    const slow = await follow(streams, principal('A'));
    slow.sink.writable = false;
    log.append(10);
    await vi.waitFor(() => expect(slow.sink.ended).toBe(true));
    const last = slow.sink.texts.at(-1) ?? '';
    expect(last).toContain('event: resume');
    const resumeAt = Number(/"lastEventId":(\d+)/.exec(last)?.[1]);
    // Only what reached the socket counts as delivered: the first write, of at most the queue's bound (the socket
    // then refused more, and the rest did not fit).
    expect(resumeAt).toBe(3);
    expect(slow.sink.seqs).toEqual([1, 2, 3]);
    expect(streams.open).toBe(0);

    const again = await follow(streams, principal('A'), resumeAt);
    await vi.waitFor(() => expect(again.sink.seqs).toEqual([4, 5, 6, 7, 8, 9, 10]));
    again.stop();
  });

  it('a client catching up on a long history is read only as fast as it takes it', async () => {
    const log = new FakeLog();
    log.append(2000);
    const streams = new TrackingStreams(log, { ...LIMITS, queue: 1000 }, 60_000, (error) => {
      throw error;
    });
    const slow = new FakeSink();
    slow.writable = false;
    const reader = await follow(streams, principal('A'), 0, slow);
    await vi.waitFor(() => expect(reader.sink.seqs.length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first page went out in one write that the socket took but refused more after: nothing more is read until it drains.
    expect(reader.sink.seqs).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    reader.sink.drain();
    await vi.waitFor(() => expect(reader.sink.seqs.at(-1)).toBe(2000));
    expect(new Set(reader.sink.seqs).size).toBe(2000);
    reader.stop();
  });

  it('keeps its streams open through a store fault, says so once, and delivers once the store is back', async () => {
    const log = new FakeLog();
    const errors: unknown[] = [];
    const streams = new TrackingStreams(log, LIMITS, 5, (error) => errors.push(error));
    const reader = await follow(streams, principal('A'));
    log.failures = 20;
    log.append(2);
    await vi.waitFor(() => expect(reader.sink.seqs).toEqual([1, 2]), { timeout: 5000 });
    expect(errors).toHaveLength(1);
    expect(reader.sink.ended).toBe(false);
    reader.stop();
  });

  it('refuses a stream over the cap of its key or its party, and takes one again once one is closed', async () => {
    const log = new FakeLog();
    const streams = new TrackingStreams(log, { perKey: 2, perParty: 3, queue: 10 }, 60_000, (error) => {
      throw error;
    });
    const first = await follow(streams, principal('A', 'k1'));
    await follow(streams, principal('A', 'k1'));
    await expect(streams.admit(principal('A', 'k1'), QUERY, undefined)).rejects.toMatchObject({ code: 'STREAM_LIMIT' });
    await follow(streams, principal('A', 'k2'));
    await expect(streams.admit(principal('A', 'k3'), QUERY, undefined)).rejects.toMatchObject({ code: 'STREAM_LIMIT' });
    first.stop();
    const ticket = await streams.admit(principal('A', 'k3'), QUERY, undefined);
    // A ticket never attached gives its slot back.
    ticket.cancel();
    await follow(streams, principal('A', 'k3'));
    expect(streams.open).toBe(3);
    streams.closeAll();
    expect(streams.open).toBe(0);
  });
});
