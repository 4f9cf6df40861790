/**
 * Where data meets Slack: mrkdwn escaping and Block Kit limits, for every Slack renderer (alerts, digest,
 * review). Limits as Slack documents them (api.slack.com/reference/block-kit): a message holds at most
 * 50 blocks; a header's plain_text at most 150 characters; a section's text at most 3000, its fields at
 * most 10 of at most 2000 each; a context at most 10 elements (each a text object of at most 3000); a
 * button's text at most 75; `block_id` / `action_id` at most 255; the top-level `text` is cut by Slack at
 * 40,000 characters, and notifications show far less, so it is kept to 4000 here.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  id: 255,
  messageText: 4000,
} as const;

/** A Block Kit block; kept structural so core does not depend on the Slack SDK's types. */
export type SlackBlock = Record<string, unknown>;

/** What `chat.postMessage` takes besides the channel: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * Slack mrkdwn needs only these three escaped: with `<` and `>` escaped, data can never form a mention
 * (`<!channel>`, `<!here>`, `<@U…>`), a link or a date token; `&` keeps the escapes themselves literal.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ELLIPSIS = '…';

/**
 * At most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair, an `&amp;`-style
 * escape, or a `<…>` token (an owner mention), so a cut never produces broken markup.
 */
export function truncateSlackText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && amp > end - 5 && !text.slice(amp, end).includes(';')) end = amp;
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0 && !text.slice(open, end).includes('>')) end = open;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

type TextObject = { type?: unknown; text?: unknown } & Record<string, unknown>;

function fitText(object: unknown, max: number): unknown {
  if (!object || typeof object !== 'object') return object;
  const t = object as TextObject;
  return typeof t.text === 'string' ? { ...t, text: truncateSlackText(t.text, max) } : t;
}

/** The first `maxItems` of a block's list of text objects, each text cut to `maxText`. */
function fitTexts(list: readonly unknown[], maxItems: number, maxText: number): unknown[] {
  return list.slice(0, maxItems).map((t) => fitText(t, maxText));
}

function fitBlock(block: SlackBlock): SlackBlock {
  const out: SlackBlock = { ...block };
  if (typeof out.block_id === 'string') out.block_id = out.block_id.slice(0, SLACK_LIMITS.id);
  switch (block.type) {
    case 'header':
      out.text = fitText(block.text, SLACK_LIMITS.headerText);
      break;
    case 'section': {
      if (block.text !== undefined) out.text = fitText(block.text, SLACK_LIMITS.sectionText);
      if (Array.isArray(block.fields))
        out.fields = fitTexts(block.fields, SLACK_LIMITS.sectionFields, SLACK_LIMITS.fieldText);
      break;
    }
    case 'context':
      if (Array.isArray(block.elements))
        out.elements = fitTexts(block.elements, SLACK_LIMITS.contextElements, SLACK_LIMITS.textObject);
      break;
    case 'actions':
      if (Array.isArray(block.elements))
        out.elements = block.elements.map((e) => {
          const element = e as Record<string, unknown>;
          return element.type === 'button'
            ? { ...element, text: fitText(element.text, SLACK_LIMITS.buttonText) }
            : element;
        });
      break;
  }
  return out;
}

/**
 * The message within every Block Kit limit: texts cut (see `truncateSlackText`), fields and context
 * elements capped, at most 50 blocks (the last kept block says how many were left out).
 */
export function fitSlackMessage(message: SlackMessage): SlackMessage {
  let blocks = message.blocks.map(fitBlock);
  if (blocks.length > SLACK_LIMITS.blocks) {
    const dropped = blocks.length - (SLACK_LIMITS.blocks - 1);
    blocks = [
      ...blocks.slice(0, SLACK_LIMITS.blocks - 1),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `…and ${dropped} more block(s) not shown` }],
      },
    ];
  }
  return { text: truncateSlackText(message.text, SLACK_LIMITS.messageText), blocks };
}
