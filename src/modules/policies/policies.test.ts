import { describe, expect, it } from 'vitest';
import { ACTION_IDS, ACTIONS } from './actions.js';
import { permissionsOf } from './permissions.js';
import { clearanceAgency, publishableTypes, publisherKind, publishesAtLocations, tieOf } from './publishing.js';
import { authorize, issuingParty, ledgerViewer, managesParty, permits, refusal, seesAccount, type Subject } from './policies.js';

const importer: Subject = { partyId: '91310000MA1K000001', tenant: 'central', kind: 'enterprise', roles: ['declarant'] };
const broker: Subject = { partyId: '91310000MA1K000002', tenant: 'central', kind: 'enterprise', roles: ['declarant', 'broker'] };
const carrier: Subject = { partyId: '91310000MA1K000003', tenant: 'central', kind: 'enterprise', roles: ['carrier'] };
const customs: Subject = { partyId: 'CUS', tenant: 'central', kind: 'agency', roles: ['agency'] };
const commerce: Subject = { partyId: 'MOC', tenant: 'central', kind: 'agency', roles: ['agency'] };
const operator: Subject = { partyId: 'OPS', tenant: 'central', kind: 'operator', roles: ['operator'] };

describe('the policies', () => {
  it('let each kind of party take its actions and no other', () => {
    expect(permits(importer, 'submission.declare')).toBe(true);
    expect(permits(customs, 'submission.declare')).toBe(false);
    expect(permits(operator, 'submission.declare')).toBe(false);
    expect(permits(customs, 'submission.decide')).toBe(true);
    expect(permits(importer, 'submission.decide')).toBe(false);
    expect(permits(operator, 'audit.read')).toBe(true);
    expect(permits(customs, 'audit.read')).toBe(false);
    for (const kind of ['enterprise', 'agency', 'operator'] as const) expect(permits({ ...importer, kind }, 'reference.read')).toBe(true);
  });

  it('ask an enterprise for the role an action needs, with the refusal the action names', () => {
    expect(refusal(importer, 'tracking.publish')?.code).toBe('EVENT_PUBLISHER_REQUIRED');
    expect(permits(carrier, 'tracking.publish')).toBe(true);
    expect(permits({ ...importer, roles: ['terminal'] }, 'tracking.publish')).toBe(true);
    // Agencies and operators need no enterprise role.
    expect(permits(customs, 'tracking.publish')).toBe(true);
    expect(refusal(importer, 'ledger.issue')?.code).toBe('FORBIDDEN');
    expect(issuingParty(carrier)).toEqual({ kind: 'carrier', party: carrier.partyId });
    expect(issuingParty(commerce)).toEqual({ kind: 'agency', party: 'MOC' });
    expect(() => issuingParty(importer)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('say which events each publisher may post, and what ties a movement to it', () => {
    expect(publishableTypes(carrier)).toEqual(['SHIPMENT', 'EQUIPMENT', 'TRANSPORT', 'IOT', 'REEFER']);
    expect(publishableTypes(importer)).toEqual([]);
    expect(publishableTypes(customs)).toEqual(['CLEARANCE']);
    expect(publishableTypes({ ...customs, partyId: 'MSA' })).toEqual(['CLEARANCE', 'TRANSPORT']);
    expect(publishableTypes(operator)).toContain('CLEARANCE');
    expect(publisherKind({ ...importer, roles: ['terminal', 'port'] })).toBe('enterprise (terminal, port)');
    expect(publishesAtLocations({ ...importer, roles: ['terminal'] })).toBe(true);
    expect(publishesAtLocations(carrier)).toBe(false);
    // An agency's clearance is about itself whatever the event says; an operator's names its agency.
    expect(clearanceAgency(commerce)).toBe('MOC');
    expect(clearanceAgency(operator)).toBeUndefined();
    const gateOut = { eventId: 'e1', eventType: 'EQUIPMENT', code: 'GTOT', classifier: 'ACT', eventTime: '2026-12-01T08:00:00Z', location: 'CNSHA', references: { container: 'MSCU1234565' } } as const;
    expect(tieOf({ ...importer, roles: ['terminal'] }, gateOut, ['CNSHA']).kind).toBe('location');
    expect(tieOf({ ...importer, roles: ['terminal'] }, gateOut, ['CNNGB'])).toMatchObject({ kind: 'refused', path: '$.location' });
    expect(tieOf(carrier, gateOut, [])).toMatchObject({ kind: 'onBills', container: 'MSCU1234565' });
    expect(tieOf(customs, gateOut, []).kind).toBe('none');
  });

  it('check the scope first: a key is told which it lacks, a person is forbidden', () => {
    const readOnly: Subject = { ...importer, scopes: ['submissions:read'] };
    expect(refusal(readOnly, 'submission.declare')?.code).toBe('SCOPE_MISSING');
    expect(refusal(readOnly, 'submission.declare')?.params).toEqual({ scope: 'submissions:write' });
    expect(permits(readOnly, 'submission.read')).toBe(true);
    // The key's scopes never widen its party's kind: a scoped enterprise key still decides nothing.
    expect(refusal({ ...importer, scopes: ['inbox'] }, 'submission.decide')?.code).toBe('FORBIDDEN');
    const clerk: Subject = { ...importer, userId: 'usr_1', userRoles: ['declarant'] };
    expect(permits(clerk, 'submission.declare')).toBe(true);
    expect(refusal(clerk, 'users.manage')?.code).toBe('FORBIDDEN');
    expect(permits({ ...clerk, userRoles: ['admin'] }, 'users.manage')).toBe(true);
    expect(() => authorize(clerk, 'signing-key.manage')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('say whose ledger accounts each caller sees', () => {
    const account = { holder: importer.partyId, issuer: 'MOC', tenant: 'central' };
    expect(seesAccount(importer, account)).toBe(true);
    expect(seesAccount(broker, account)).toBe(false);
    expect(seesAccount(commerce, account)).toBe(true);
    expect(seesAccount({ ...commerce, partyId: 'CIQ' }, account)).toBe(false);
    // Customs verifies declarations against every account.
    expect(ledgerViewer(customs)).toEqual({ kind: 'all' });
    expect(seesAccount(customs, { ...account, tenant: 'shenzhen' })).toBe(true);
    expect(seesAccount(operator, account)).toBe(true);
    expect(seesAccount(operator, { ...account, tenant: 'shenzhen' })).toBe(false);
  });

  it("say whose people an admin manages: its own party's, an operator its tenant's", () => {
    expect(managesParty(importer, importer.partyId)).toBe(true);
    expect(managesParty(importer, broker.partyId)).toBe(false);
    expect(managesParty({ ...importer, scopes: ['submissions:read'] }, importer.partyId)).toBe(false);
    expect(managesParty(operator, broker.partyId)).toBe(true);
    expect(managesParty(operator, broker.partyId, { id: broker.partyId, tenant: 'central' })).toBe(true);
    expect(managesParty(operator, broker.partyId, { id: broker.partyId, tenant: 'shenzhen' })).toBe(false);
    expect(managesParty({ ...operator, console: true }, broker.partyId, { id: broker.partyId, tenant: 'shenzhen' })).toBe(true);
  });

  it('answer what a credential may do, and which document types it files for others', () => {
    const types = [
      { id: 'goods-declaration', parties: { agentRoles: ['broker'] } },
      { id: 'exhibition-filing', parties: { agentRoles: [] } },
    ];
    const answer = permissionsOf(broker, types);
    expect(answer.actions).toContain('submission.declare');
    expect(answer.actions).not.toContain('submission.decide');
    expect(answer.docTypes).toEqual([
      { id: 'goods-declaration', declare: true, forOthers: true },
      { id: 'exhibition-filing', declare: true, forOthers: false },
    ]);
    expect(permissionsOf(importer, types).docTypes[0]).toEqual({ id: 'goods-declaration', declare: true, forOthers: false });
    expect(permissionsOf(customs, types).docTypes.every((type) => !type.declare && !type.forOthers)).toBe(true);
    expect(permissionsOf(operator, types).actions).toEqual(ACTION_IDS.filter((id) => (ACTIONS[id].kinds as readonly string[]).includes('operator')));
  });
});
