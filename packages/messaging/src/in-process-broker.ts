import type { WireMessage, WireReply } from "./dispatch.ts";
import { subjectMatches } from "./subject.ts";

/** One subscription as the broker sees it; `respond` is present only when the sender awaits a reply. */
export interface BrokerSubscription {
  readonly pattern: string;
  readonly queue: string | undefined;
  receive(message: WireMessage, respond?: (reply: WireReply) => void): void;
}

/**
 * The in-process stand-in for a nats-server: buses connected to the same broker reach each other,
 * with NATS routing rules (every plain subscriber gets a copy, each queue group one member).
 */
export class InProcessBroker {
  private readonly subscriptions = new Set<BrokerSubscription>();

  add(subscription: BrokerSubscription): void {
    this.subscriptions.add(subscription);
  }

  remove(subscription: BrokerSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** Returns how many subscribers will receive the message; 0 means "no responders". */
  route(message: WireMessage, respond?: (reply: WireReply) => void): number {
    const plain: BrokerSubscription[] = [];
    const groups = new Map<string, BrokerSubscription[]>();
    for (const subscription of this.subscriptions) {
      if (!subjectMatches(subscription.pattern, message.subject)) continue;
      if (subscription.queue === undefined) plain.push(subscription);
      else groups.set(subscription.queue, [...(groups.get(subscription.queue) ?? []), subscription]);
    }
    const receivers = [...plain, ...[...groups.values()].map(pickOne)];
    // Delivered on a later turn, as over a socket: the sender never runs a handler on its own stack.
    for (const receiver of receivers) setImmediate(() => receiver.receive(message, respond));
    return receivers.length;
  }
}

function pickOne(members: readonly BrokerSubscription[]): BrokerSubscription {
  return members[Math.floor(Math.random() * members.length)]!;
}
