import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { featureOf, type FeatureDefinition } from './feature.js';

/** A method some provider marked with a decorator, bound to its instance. */
export interface DiscoveredMethod<M> {
  /** `Class.method`, for messages */
  name: string;
  metadata: M;
  call: (...args: never[]) => unknown;
}

/**
 * What the plumbing learns from the modules that are loaded: the features' declarations, and the
 * methods marked as handlers (events, outbox topics, schedules). Nothing here names a feature.
 */
@Injectable()
export class FeatureCatalog {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** The `@Feature` declarations of every module in this application, each once. */
  definitions(): FeatureDefinition[] {
    const seen = new Set<FeatureDefinition>();
    for (const module of this.modules.values()) {
      const definition = featureOf(module.metatype);
      if (definition) seen.add(definition);
    }
    return [...seen];
  }

  /** Every provider whose class carries a `ProviderMarker`'s mark, with the mark's metadata. */
  providers<T, M>(marker: ProviderMarker<M>): { name: string; instance: T; metadata: M }[] {
    const found: { name: string; instance: T; metadata: M }[] = [];
    const instances = new Set<unknown>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance || instances.has(wrapper.instance)) continue;
      const metadata = Reflect.getMetadata(marker.key, wrapper.metatype) as M | undefined;
      if (metadata === undefined) continue;
      instances.add(wrapper.instance);
      found.push({ name: wrapper.name, instance: wrapper.instance as T, metadata });
    }
    return found;
  }

  /** Every provider method carrying metadata under `key` (set by a method decorator). */
  methods<M>(key: symbol | string): DiscoveredMethod<M>[] {
    const found: DiscoveredMethod<M>[] = [];
    const instances = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || instances.has(instance) || !wrapper.isDependencyTreeStatic()) continue;
      instances.add(instance);
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (prototype as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const entries = Reflect.getMetadata(key, fn) as M[] | undefined;
        for (const metadata of entries ?? []) {
          found.push({ name: `${instance.constructor.name}.${method}`, metadata, call: (fn as (...args: never[]) => unknown).bind(instance) });
        }
      }
    }
    return found;
  }
}

/** A method decorator adding `value` to the list kept under `key` (a method may handle several). */
export function addMethodMetadata(key: symbol | string, value: unknown): MethodDecorator {
  return (_target, _property, descriptor) => {
    const fn = descriptor.value as object;
    const list = (Reflect.getMetadata(key, fn) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(key, [...list, value], fn);
    return descriptor;
  };
}

/**
 * A class decorator marking a provider as a source of something another part gathers (notification
 * templates, parts of `policies:sync`, "my page" duties, work-queue counts), and the key that
 * `FeatureCatalog.providers` finds them by at start-up: the gathering part never lists features.
 */
export interface ProviderMarker<M> {
  readonly key: symbol;
  mark(metadata: M): ClassDecorator;
}

export function providerMarker<M = true>(description: string): ProviderMarker<M> {
  const key = Symbol(`mamori:${description}`);
  return { key, mark: (metadata: M) => SetMetadata(key, metadata) };
}
