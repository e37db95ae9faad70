import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI machines run several suites at once; waiting a little longer costs passing tests nothing.
configure({ asyncUtilTimeout: 10_000 });

// recharts' ResponsiveContainer observes its size; jsdom has no ResizeObserver.
if (!('ResizeObserver' in globalThis)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (globalThis as any).ResizeObserver = ResizeObserverStub;
}
