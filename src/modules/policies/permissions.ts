/**
 * What the signed-in caller may do, as GET /api/v1/session/permissions answers it: the portal shows what this
 * says instead of deciding by the kind of party, and the API still decides every call.
 */
import Type, { type Static } from 'typebox';
import { ACTION_IDS } from './actions.js';
import { permittedActions, permits, type Subject } from './policies.js';

/** Who the caller is stays GET /api/v1/me's to say; this says what it may do. */
export const PermissionsSchema = Type.Object({
  actions: Type.Array(Type.Enum(ACTION_IDS), { description: 'The actions of docs/authorization.md this credential may take, on the resources it can see' }),
  docTypes: Type.Array(
    Type.Object({
      id: Type.String(),
      declare: Type.Boolean({ description: 'It may file this type for its own party' }),
      forOthers: Type.Boolean({ description: 'It holds a role that files this type for another enterprise holding its delegation' }),
    }),
    { description: 'Each published document type and whether this credential may file it' },
  ),
});
export type Permissions = Static<typeof PermissionsSchema>;

/** The document type as far as filing goes: its id and the roles that file it for others. */
export interface FiledType {
  readonly id: string;
  readonly parties: { readonly agentRoles: readonly string[] };
}

export function permissionsOf(caller: Subject, docTypes: readonly FiledType[]): Permissions {
  const declares = permits(caller, 'submission.declare');
  return {
    actions: permittedActions(caller),
    docTypes: docTypes.map((type) => ({
      id: type.id,
      declare: declares,
      forOthers: declares && type.parties.agentRoles.some((role) => caller.roles?.some((held) => held === role) === true),
    })),
  };
}
