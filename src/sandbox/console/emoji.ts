// Slack's emoji shortcodes → the characters, for the ones keydesk's messages use (Slack
// knows thousands; an unknown code stays as its `:name:` text, as Slack shows it too).
const EMOJI: Record<string, string> = {
  unlock: '🔓', lock: '🔒', key: '🔑', no_entry: '⛔', no_entry_sign: '🚫', white_check_mark: '✅', heavy_check_mark: '✔️',
  warning: '⚠️', email: '📧', envelope: '✉️', incoming_envelope: '📨', inbox_tray: '📥', thinking_face: '🤔', iphone: '📱',
  large_green_circle: '🟢', large_yellow_circle: '🟡', large_blue_circle: '🔵', red_circle: '🔴', rotating_light: '🚨',
  hourglass: '⌛', hourglass_flowing_sand: '⏳', wave: '👋', raising_hand: '🙋', tada: '🎉', gear: '⚙️', bust_in_silhouette: '👤',
  x: '❌', information_source: 'ℹ️', bell: '🔔', clock3: '🕒', shield: '🛡️', lock_with_ink_pen: '🔏', closed_lock_with_key: '🔐',
};

export function emojiFor(name: string): string | undefined {
  return Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
}

/** Replaces known `:shortcodes:` in already-escaped text (the output is as safe as the input). */
export function emojify(escaped: string): string {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emojiFor(name) ?? whole);
}
