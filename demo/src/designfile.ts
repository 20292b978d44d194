// Meshery design files in and out: JSON or YAML, as the design's own fields (unknown fields
// round-trip through the evaluator untouched).
import type { Design } from '@meshery/relationship-evaluator';
import { parse, stringify } from 'yaml';

/** Reads a design file; YAML is a superset of JSON, but JSON is tried first for its errors. */
export function parseDesign(text: string): Design {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = parse(text);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('a design file holds an object with components and relationships');
  return value as Design;
}

export function serializeDesign(design: Design, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(design, null, 2)}\n` : stringify(design, { aliasDuplicateObjects: false });
}

/** Offers text as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
