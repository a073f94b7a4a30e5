import { Command, CommanderError } from 'commander';
import { commandPath } from './cli-reference';

/** One `im …` command as written in a fenced code block of a markdown page. */
export interface DocCommandLine {
  /** 1-based line of the page where the command starts. */
  line: number;
  /** The command as written, continuation lines joined. */
  text: string;
}

/**
 * The `im …` commands in a page's fenced code blocks: a line that starts with `im ` (after an
 * optional `$ `), with its `\` continuation lines joined. Prose and inline code are not
 * commands; a block may still show output or other tools, which are skipped.
 */
export function docCommandLines(markdown: string): DocCommandLine[] {
  const lines = markdown.split('\n');
  const found: DocCommandLine[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    const start = /^\s*(?:\$\s+)?(im\s.*)$/.exec(line);
    if (!start) continue;
    const first = i + 1;
    let text = start[1] ?? '';
    while (/\\\s*$/.test(text) && i + 1 < lines.length) {
      i += 1;
      text = `${text.replace(/\\\s*$/, '')} ${(lines[i] ?? '').trim()}`;
    }
    found.push({ line: first, text: text.trim() });
  }
  return found;
}

/**
 * Shell words of one command line, as bash would split them before running it: single and
 * double quotes, backslash escapes, and a trailing `# comment`. Variables (`"$PD_TOKEN"`)
 * stay as written: only the shape of the command is checked, never its values.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word = `${word ?? ''}${text[(i += 1)] ?? ''}`;
      else word = `${word ?? ''}${ch}`;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < text.length) {
      word = `${word ?? ''}${text[(i += 1)] ?? ''}`;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '#' && word === null) {
      break;
    } else {
      word = `${word ?? ''}${ch}`;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (word !== null) words.push(word);
  return words;
}

/** Turns every action into "remember which command ran" and every exit into a thrown error. */
function dryRun(command: Command, ran: { path: string | null }): void {
  command.exitOverride();
  command.configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
  if (command.commands.length === 0) {
    command.action(() => {
      ran.path = commandPath(command);
    });
  }
  for (const sub of command.commands) dryRun(sub, ran);
}

/**
 * Parses one documented command with the real program in a non-executing mode: unknown
 * commands or flags, missing arguments or required flags and invalid values (choices,
 * numbers, booleans) are errors; nothing is sent anywhere. `--help` is accepted.
 * Returns null when the command is valid, else commander's message.
 */
export function checkCommandLine(program: Command, text: string): string | null {
  let words: string[];
  try {
    words = shellWords(text);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (words[0] !== 'im') return 'not an im command';
  const ran = { path: null as string | null };
  dryRun(program, ran);
  try {
    program.parse(words.slice(1), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') return null;
    if (error instanceof CommanderError && error.code === 'commander.help') return 'names a command group, not a command';
    return error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  }
  return ran.path === null ? 'runs no command' : null;
}
