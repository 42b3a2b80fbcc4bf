/** True for a PostgreSQL connection URL (`postgres://…` or `postgresql://…`), as opposed to a file path. */
export function isDatabaseUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value.trim());
}

/**
 * The URL with its password (and any `password=` query parameter) replaced by `***`, for messages and
 * `assay db status`. Never print a database URL without passing it through here.
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString().replace('%2A%2A%2A', '***');
  } catch {
    // Not parseable: drop anything between `//user:` and `@`, and any password parameter.
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/(password=)[^&]*/gi, '$1***');
  }
}

/** `text` with every occurrence of the URL's password replaced by `***` (driver messages may echo it). */
export function redactSecret(text: string, url: string): string {
  let password = '';
  try {
    const parsed = new URL(url);
    password = decodeURIComponent(parsed.password || parsed.searchParams.get('password') || '');
  } catch {
    password = /\/\/[^:/@]*:([^@]*)@/.exec(url)?.[1] ?? '';
  }
  return password.length > 0 ? text.split(password).join('***') : text;
}
