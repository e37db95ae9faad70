/**
 * Core v1 Events. Repeats of the same (object, reason, message) aggregate into one Event with
 * a growing `count` and `lastTimestamp`, as the real event recorder does, so clients that read
 * `involvedObject.name=<pod>` see the familiar `kubectl describe` picture.
 */
import { RESOURCE_TYPES } from './discovery';
import { fnv32a } from './json';
import { ObjectStore } from './ObjectStore';
import { EventOccurrence } from './podLifecycle';
import { KubernetesObject } from './types';

const eventType = RESOURCE_TYPES.find(
  r => r.plural === 'events' && r.group === '',
)!;

const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Writes Event objects into the store. */
export class EventRecorder {
  constructor(
    private readonly store: ObjectStore,
    private readonly stamp: () => string,
  ) {}

  private eventName(obj: KubernetesObject, key: string): string {
    return `${obj.metadata?.name}.${fnv32a(`${obj.metadata?.uid}/${key}`).toString(16).padStart(8, '0')}${fnv32a(key).toString(16).padStart(8, '0')}`;
  }

  private involved(obj: KubernetesObject, fieldPath?: string) {
    return {
      kind: obj.kind,
      namespace: obj.metadata?.namespace,
      name: obj.metadata?.name,
      uid: obj.metadata?.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata?.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
  }

  /** Writes (or updates the count of) the events a pod's plan says happened. */
  sync(
    obj: KubernetesObject,
    occurrences: EventOccurrence[],
    host?: string,
  ): void {
    for (const o of occurrences) {
      const name = this.eventName(obj, o.key);
      const namespace = obj.metadata?.namespace ?? 'default';
      const existing = this.store.get(eventType, namespace, name);
      if (
        existing &&
        existing.count === o.count &&
        existing.lastTimestamp === iso(o.last)
      )
        continue;
      this.store.put(
        eventType,
        {
          metadata: {
            name,
            namespace,
            ...(existing ? {} : { creationTimestamp: iso(o.first) }),
          },
          involvedObject:
            existing?.involvedObject ?? this.involved(obj, o.fieldPath),
          reason: o.reason,
          message: o.message,
          source: {
            component: o.component,
            ...(o.component === 'kubelet' && host ? { host } : {}),
          },
          firstTimestamp: iso(o.first),
          lastTimestamp: iso(o.last),
          count: o.count,
          type: o.type,
          eventTime: null,
          reportingComponent: o.component,
          reportingInstance: o.component === 'kubelet' ? (host ?? '') : '',
        },
        this.stamp,
      );
    }
  }

  /**
   * Records one occurrence now: a new Event, or count+1 on the existing one with the same
   * reason and message.
   */
  record(
    obj: KubernetesObject,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning',
    component: string,
    at: number,
  ): void {
    const key = `${reason}/${message}`;
    const name = this.eventName(obj, key);
    const namespace = obj.metadata?.namespace ?? 'default';
    const existing = this.store.get(eventType, namespace, name);
    this.store.put(
      eventType,
      {
        metadata: { name, namespace },
        involvedObject: this.involved(obj),
        reason,
        message,
        source: { component },
        firstTimestamp: existing?.firstTimestamp ?? iso(at),
        lastTimestamp: iso(at),
        count: (existing?.count ?? 0) + 1,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: '',
      },
      this.stamp,
    );
  }
}
