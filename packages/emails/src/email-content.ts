/**
 * What a template decides: the words and their order. Templates never write markup; the layouts
 * turn content into text and HTML, and the HTML layout escapes every string it is given, so no
 * template can forget to.
 */
export type Block =
  /** Running text; a `\n` inside is a line break (generic messages keep the producer's lines). */
  | { readonly kind: 'paragraph'; readonly text: string }
  /** The one thing to do: a button in HTML with the address spelled out below it, a labelled link in text. */
  | { readonly kind: 'action'; readonly label: string; readonly url: string }
  /** Facts about an event (when, browser, network), as a two-column table. */
  | { readonly kind: 'details'; readonly rows: ReadonlyArray<readonly [label: string, value: string]> }
  /** Reassurance or a secondary hint, set smaller. */
  | { readonly kind: 'note'; readonly text: string };

export interface EmailContent {
  /** The tenant's display name, already made safe to print by `oneLine`. */
  readonly tenant: string;
  readonly subject: string;
  /** First heading of the message; generic messages have none (their subject says it). */
  readonly heading?: string;
  readonly blocks: readonly Block[];
}
