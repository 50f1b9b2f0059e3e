// What the BGM segment of an IFTSTA, CODECO or COARRI says about its message: the function (1225) decides what the
// message's events do to earlier ones of the same document (1004), and for CODECO and COARRI the document name
// (C002 1001) says which movement every equipment group reports. Both are tables here, read by tracking.ts.

import type { DocumentFunction } from '../../modules/tracking/tracking.schema.js';

/** How Kouan takes a BGM 1225 message function code; `test` messages store nothing. */
export type MessageFunctionReading =
  | { readonly kind: 'function'; readonly function: DocumentFunction; readonly name: string }
  | { readonly kind: 'test'; readonly name: string };

// UN/EDIFACT 1225 "Message function code" (the same codes in D.95B and D.00B) -> the document function of the
// message's events. Only functions whose meaning for a report of movements is clear are here; any other code
// (8 status, 10-16, 19-30, 32-34, 36-42, 44, 45, 48-52, 54 and on) keeps its events as an original and is reported.
//   code  name                            function      why
//   9     Original                        original      initial transmission of the document
//   2     Addition                        original      items added to the document: new events of it
//   6     Confirmation                    original      repeats the details of an earlier transmission
//   7     Duplicate                       original      a duplicate of an earlier message: the same event ids
//   31    Copy                            original      a copy of an earlier message: the same event ids
//   35    Retransmission                  original      a change-free retransmission: the same event ids
//   43    Additional transmission         original      another transmission of the same message
//   46    Provisional                     original      its content may be followed by a definitive one (47)
//   4     Change                          replacement   items changed: the document as it now stands
//   5     Replace                         replacement   the message replaces a previous one
//   18    Reissue                         replacement   a new issue of a previous message
//   47    Definitive                      replacement   the definitive content supersedes the provisional
//   1     Cancellation                    cancellation  cancels a previous transmission
//   3     Deletion                        cancellation  items deleted: Kouan retracts the document's events
//   17    Cancel, to be reissued          cancellation  cancelled; the reissue (18) follows as a new message
//   53    Test                            (test)        a test: its events are not stored
const MESSAGE_FUNCTIONS: ReadonlyMap<string, MessageFunctionReading> = new Map<string, MessageFunctionReading>([
  ['9', { kind: 'function', function: 'original', name: 'original' }],
  ['2', { kind: 'function', function: 'original', name: 'addition' }],
  ['6', { kind: 'function', function: 'original', name: 'confirmation' }],
  ['7', { kind: 'function', function: 'original', name: 'duplicate' }],
  ['31', { kind: 'function', function: 'original', name: 'copy' }],
  ['35', { kind: 'function', function: 'original', name: 'retransmission' }],
  ['43', { kind: 'function', function: 'original', name: 'additional transmission' }],
  ['46', { kind: 'function', function: 'original', name: 'provisional' }],
  ['4', { kind: 'function', function: 'replacement', name: 'change' }],
  ['5', { kind: 'function', function: 'replacement', name: 'replace' }],
  ['18', { kind: 'function', function: 'replacement', name: 'reissue' }],
  ['47', { kind: 'function', function: 'replacement', name: 'definitive' }],
  ['1', { kind: 'function', function: 'cancellation', name: 'cancellation' }],
  ['3', { kind: 'function', function: 'cancellation', name: 'deletion' }],
  ['17', { kind: 'function', function: 'cancellation', name: 'cancel, to be reissued' }],
  ['53', { kind: 'test', name: 'test' }],
]);

/** The reading of a BGM 1225 code, or undefined for one Kouan does not map (its events are then taken as an original). */
export function messageFunctionOf(code: string): MessageFunctionReading | undefined {
  return MESSAGE_FUNCTIONS.get(code);
}

/** The movement a CODECO or COARRI document reports for each of its equipment groups. */
export type DocumentMovement = 'GTIN' | 'GTOT' | 'DISC' | 'LOAD';

// CODECO BGM C002 1001, as the SMDG CODECO user manuals use it:
//   34  Gate-in report    GTIN
//   36  Gate-out report   GTOT
const CODECO_DOCUMENTS: ReadonlyMap<string, DocumentMovement> = new Map([['34', 'GTIN'], ['36', 'GTOT']]);

// COARRI BGM C002 1001. Terminals name the same two reports by different codes: the SMDG COARRI 1.x manual (D.95B)
// and the terminals that follow it send 44 and 46, SMDG 2.x senders 98 and 270, and port-community profiles built on
// D.00B 119 and 122. Each names one direction for the whole message:
//   44   Discharge report   DISC        46   Loading report   LOAD
//   98   Discharge report   DISC        270  Loading report   LOAD
//   119  Discharge report   DISC        122  Loading report   LOAD
// Any other code (121, a restow or shifting report, among them) names no load or discharge and is reported; the
// direction is never guessed from the ports of loading and discharge.
const COARRI_DOCUMENTS: ReadonlyMap<string, DocumentMovement> = new Map([
  ['44', 'DISC'], ['98', 'DISC'], ['119', 'DISC'],
  ['46', 'LOAD'], ['270', 'LOAD'], ['122', 'LOAD'],
]);

// DE 3055 agencies whose document name codes these tables are: none given (the default, UN), 6 (UN/ECE) and 306
// (SMDG). A code under another agency (ZZZ mutually defined, a carrier's own list) is a different code with the
// same digits.
const DOCUMENT_CODE_AGENCIES: ReadonlySet<string> = new Set(['', '6', '306']);

/** The movement of a CODECO or COARRI document name code with its agency, or why there is none. */
export function documentMovementOf(messageType: 'CODECO' | 'COARRI', code: string, agency: string): { movement: DocumentMovement } | { reason: string } {
  const table = messageType === 'CODECO' ? CODECO_DOCUMENTS : COARRI_DOCUMENTS;
  const known = messageType === 'CODECO' ? '34 (gate in) or 36 (gate out)' : '44, 98 or 119 (discharge), 46, 270 or 122 (loading)';
  if (code === '') return { reason: `BGM gives no document name code; a ${messageType} is mapped by ${known}, so its equipment maps to no event` };
  if (!DOCUMENT_CODE_AGENCIES.has(agency)) {
    return { reason: `BGM document name ${code} is from the code list of agency ${agency}, not the UN/SMDG list, so its equipment maps to no event` };
  }
  const movement = table.get(code);
  if (movement === undefined) return { reason: `BGM document name ${code} is not a ${messageType} document Kouan maps (${known}), so its equipment maps to no event` };
  return { movement };
}
