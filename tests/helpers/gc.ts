// A real gc() inside the test runner, without restarting it with --expose-gc: for tests that
// check the heap stays flat.
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
export const gc = vm.runInNewContext("gc") as () => void;

/** Heap in use after two full collections (the second catches what the first only unlinked). */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
