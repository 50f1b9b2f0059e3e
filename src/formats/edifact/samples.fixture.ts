// Sample interchanges for the tests, written for Kouan. Container numbers carry valid ISO 6346 check digits
// and vessels valid IMO numbers (checked in tracking.test.ts); UNT counts are computed so that each sample
// stays a valid interchange when a segment is added.

/** Wraps message bodies (segments without UNH/UNT) into a complete interchange with correct counts. */
export function interchangeText(controlRef: string, messages: { reference: string; type: string; body: string[] }[], lineBreaks = true): string {
  const end = lineBreaks ? "'\n" : "'";
  const lines = [`UNB+UNOA:2+TERMINALCN:ZZZ+CARRIERX:ZZZ+261127:0700+${controlRef}`];
  for (const message of messages) {
    lines.push(`UNH+${message.reference}+${message.type}`, ...message.body, `UNT+${message.body.length + 2}+${message.reference}`);
  }
  lines.push(`UNZ+${messages.length}+${controlRef}`);
  return lines.map((line) => line + end).join('');
}

export const CODECO_GATE_IN = interchangeText('CO0001', [
  {
    reference: 'GI1',
    type: 'CODECO:D:95B:UN:ITG13',
    body: [
      'BGM+34+GI20261127+9',
      'DTM+137:202611270700:203',
      'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
      'LOC+165+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'NAD+MS+TERMINALCN:160:ZZZ',
      'EQD+CN+MSKU1234565+45G1:102:5++2+5',
      'RFF+BM:MEDUDE123456',
      'DTM+7:202611270640:203',
      'EQD+CN+MSCU7654329+22G1:102:5++2+5',
      'RFF+BM:MEDUDE123457',
      'DTM+7:202611270712:203',
      'EQD+CN+CMAU3000014+22G1:102:5++2+4',
      'DTM+7:20261127081530:204',
      'TDT+1++3+31+++ABC123:146',
      'EQD+CN+TGHU8812348+45R1:102:5++2+5',
      'RFF+BM:MEDUDE123458',
      'DTM+7:202611271605?+0800:205',
      'CNT+16:4',
    ],
  },
  {
    reference: 'GO1',
    type: 'CODECO:D:95B:UN:ITG13',
    body: [
      'BGM+36+GO20261127+9',
      'LOC+165+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'EQD+CN+OOLU5550012+22G1:102:5++3+5',
      'RFF+BM:OOLU2026001',
      'DTM+7:202611271130:203',
      'CNT+16:1',
    ],
  },
]);

export const COARRI_REPORTS = interchangeText('CA0001', [
  {
    reference: 'DIS1',
    type: 'COARRI:D:95B:UN:ITG12',
    body: [
      'BGM+44+DIS012E+9',
      'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
      'LOC+11+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'DTM+178:202611270500:203',
      'EQD+CN+HLXU4001239+22G1:102:5++2+5',
      'LOC+147+0120382::5',
      'LOC+9+DEHAM:139:6',
      'RFF+BM:HLCUHAM000001',
      'DTM+203:202611270640:203',
      'EQD+CN+CSNU6100028+45G1:102:5++2+5',
      'LOC+147+0140186::5',
      'LOC+9+NLRTM:139:6',
      'RFF+BM:HLCURTM000002',
      'DTM+203:202611270655:203',
      'EQD+CN+MEDU7778880+22G1:102:5++2+5',
      'LOC+9+NLRTM:139:6',
      'DTM+203:202611270701:203',
      'EQD+CN+TCLU1122336+22T1:102:5++2+5',
      'LOC+147+0160084::5',
      'LOC+9+BEANR:139:6',
      'CNT+16:4',
    ],
  },
  {
    // SMDG 2.x codes: 270 loading report.
    reference: 'LOD1',
    type: 'COARRI:D:00B:UN:SMDG20',
    body: [
      'BGM+270+LOD012E+9',
      'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
      'LOC+5+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'EQD+CN+APZU9090909+40G1:102:5++2+5',
      'LOC+147+0220482::5',
      'LOC+9+CNSHA:139:6',
      'LOC+11+USLAX:139:6',
      'DTM+203:202611271820:203',
      'CNT+16:1',
    ],
  },
  {
    // SMDG 2.x codes: 98 discharge report, of a second document.
    reference: 'DIS2',
    type: 'COARRI:D:00B:UN:SMDG20',
    body: [
      'BGM+98+DIS012E-2+9',
      'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
      'LOC+11+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'EQD+CN+FCIU3030307+40G1:102:5++2+5',
      'LOC+9+KRPUS:139:6',
      'LOC+11+CNSHA:139:6',
      'DTM+203:202611271000:203',
      'CNT+16:1',
    ],
  },
]);

export const IFTSTA_STATUS = interchangeText('ST0001', [
  {
    reference: 'S1',
    type: 'IFTSTA:D:99B:UN',
    body: [
      'BGM+23+ST20261127+9',
      'DTM+137:202611271200:203',
      'CNI+1+MEDUDE123456',
      'RFF+BM:MEDUDE123456',
      'STS+1+VA',
      'DTM+132:202612010600:203',
      'LOC+175+NLRTM:139:6',
      'TDT+20+013W+1++MSC:172:20+++9454450:146::MSC BELLA',
      'EQD+CN+SEGU2468108',
      'EQD+CN+TRLU1357915',
      'STS+1+UV::ZZZ:Unloaded from vessel',
      'DTM+334:202612011415:203',
      'LOC+175+NLRTM:139:6+ECTDDE:TER:ZZZ:ECT Delta',
      'TDT+20+013W+1++MSC:172:20+++9454450:146::MSC BELLA',
      'EQD+CN+SEGU2468108',
      'STS+1+CT',
      'DTM+7:20261202093000:204',
      'LOC+175+NLRTM:139:6',
      'STS+1+ZZ',
      'DTM+7:202612020930:203',
      'CNI+2+MEDUDE999001',
      'RFF+BM:MEDUDE999001',
      'STS+1+I',
      'DTM+7:202611261530:203',
      'LOC+175+CNSHA:139:6',
      'EQD+CN+CAIU2020203',
      'EQD+CN+GESU4040407',
      'STS+1+HOLD',
      'DTM+7:202611271000:203',
      'LOC+175+CNSHA:139:6',
      'EQD+CN+GESU4040407',
    ],
  },
]);
