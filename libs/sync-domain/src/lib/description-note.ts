/**
 * PagerDuty has no description field after create (FACTS §3.1), so a description change is
 * posted as a note with this content. The same text identifies the note's own webhook echo.
 */
export function descriptionNote(description: string | null): string {
  return description === null || description.trim() === ''
    ? 'Description cleared on the Incidents platform.'
    : `Description updated on the Incidents platform:\n\n${description}`;
}
