/** Past this many rows a full sort beats keeping a sorted window. */
export const MAX_SORTED_WINDOW = 2000

/**
 * The first `size` items under `compare`, sorted: one pass with a bounded, sorted window
 * (binary insertion), O(n log size) instead of sorting every match for one page.
 */
export function firstSorted<T>(items: Iterable<T>, size: number, compare: (a: T, b: T) => number): T[] {
  const window: T[] = []
  for (const item of items) {
    if (window.length === size && compare(item, window[size - 1]!) >= 0) continue
    let low = 0
    let high = window.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (compare(item, window[middle]!) < 0) high = middle
      else low = middle + 1
    }
    window.splice(low, 0, item)
    if (window.length > size) window.pop()
  }
  return window
}

