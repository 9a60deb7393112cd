/**
 * How long an edit waits before its document is analysed, when the server is idle.
 *
 * Not a debounce timer: edits that arrive while an analysis is queued or running are coalesced
 * (the document is analysed once more, at its newest version), so this only has to be long
 * enough for a burst of `didChange` messages already in the pipe to be read first. The budget
 * is p95 <= 30 ms from `didChange` to the `publishDiagnostics` of that version.
 */
export const ANALYSIS_DELAY_MS = 3;
