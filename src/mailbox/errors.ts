/** The failure type the letter workflow knows a refusal by (workflows/letter.ts matches this name). */
export const NOT_ALLOWED = 'NotAllowed';

/**
 * The database has moved on and the action may not be taken (an activity re-checking refusal() under
 * the row lock, or a department that was deactivated meanwhile). Domain code throws this; activities.ts
 * turns it into a non-retryable `NotAllowed` ApplicationFailure at the activity boundary.
 */
export class NotAllowedError extends Error {
  override readonly name = 'NotAllowedError';
}
