import { describe, expect, it } from 'vitest'
import { firstSorted } from '../../server/utils/sorted-window'

const byValue = (a: number, b: number) => a - b

describe('firstSorted', () => {
  // A fixed pseudo-random sequence with many ties, so the check does not depend on luck.
  const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 997)

  it.each([1, 7, 50, 550, 4999, 5000, 6000])('equals the first %i of a full sort', (size) => {
    expect(firstSorted(values, size, byValue)).toEqual([...values].sort(byValue).slice(0, size))
  })

  it('keeps the order of equal items stable, like Array#sort', () => {
    const items = [{ k: 1, id: 'a' }, { k: 0, id: 'b' }, { k: 1, id: 'c' }, { k: 0, id: 'd' }]
    expect(firstSorted(items, 3, (a, b) => a.k - b.k).map(i => i.id)).toEqual(['b', 'd', 'a'])
  })

  it('handles nothing to sort', () => {
    expect(firstSorted([], 10, byValue)).toEqual([])
  })
})
