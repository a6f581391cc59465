import { describe, expect, it } from 'vitest';
import { flattenHeaders, hasHeader, responseHeaders } from './dispatch-headers.js';

describe('flattenHeaders', () => {
  it('flattens every undici header shape into name, value pairs', () => {
    const expected = ['a', '1', 'b', '2'];
    expect(flattenHeaders({ a: '1', b: '2' })).toEqual(expected);
    expect(flattenHeaders(['a', '1', 'b', '2'])).toEqual(expected);
    expect(
      flattenHeaders([
        ['a', '1'],
        ['b', '2'],
      ]),
    ).toEqual(expected);
    expect(flattenHeaders(new Headers({ a: '1', b: '2' }))).toEqual(expected);
    expect(
      flattenHeaders(
        new Map([
          ['a', '1'],
          ['b', '2'],
        ]),
      ),
    ).toEqual(expected);
  });

  it('repeats the name for array values, skips missing ones, decodes bytes', () => {
    expect(flattenHeaders({ c: ['x', 'y'], d: undefined, e: 3 })).toEqual([
      'c',
      'x',
      'c',
      'y',
      'e',
      '3',
    ]);
    expect(flattenHeaders([Buffer.from('f'), Buffer.from('v')])).toEqual(['f', 'v']);
    expect(flattenHeaders(null)).toEqual([]);
    expect(flattenHeaders(undefined)).toEqual([]);
  });

  it('returns a new list, leaving the caller value unchanged', () => {
    const original = ['a', '1'];
    const flat = flattenHeaders(original);
    flat.push('b', '2');
    expect(original).toEqual(['a', '1']);
  });
});

describe('hasHeader', () => {
  it('finds names case-insensitively, never matching values', () => {
    const flat = ['Authorization', 'Bearer x', 'x-name', 'authorization'];
    expect(hasHeader(flat, 'authorization')).toBe(true);
    expect(hasHeader(flat, 'X-NAME')).toBe(true);
    expect(hasHeader(['x-name', 'authorization'], 'authorization')).toBe(false);
  });
});

describe('responseHeaders', () => {
  it('builds Headers from an incoming header object', () => {
    const headers = responseHeaders({ 'www-authenticate': 'Bearer', 'set-cookie': ['a=1', 'b=2'] });
    expect(headers.get('www-authenticate')).toBe('Bearer');
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });
});
