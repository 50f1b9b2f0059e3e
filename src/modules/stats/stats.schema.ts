import Type, { type Static } from 'typebox';

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description === undefined ? {} : { description }) });
const Minutes = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

export const StatsQuerySchema = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'How many UTC days, today included' })),
  },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuerySchema>;

export const DayStatsSchema = Type.Object({
  date: Type.String({ format: 'date', description: 'A UTC day' }),
  submitted: Count('Submissions stored that day'),
  released: Count('Submissions that became released (every part released) that day'),
  approved: Count('Filings that became approved (every agency approved) that day'),
  rejected: Count('Submissions that became rejected that day'),
  refused: Count('Submissions that became refused that day'),
  cancelled: Count('Submissions their declarant cancelled that day'),
});
export type DayStats = Static<typeof DayStatsSchema>;

export const AgencyStatsSchema = Type.Object({
  agency: Type.String(),
  parts: Count('Parts routed to the agency in the window'),
  released: Count('Parts the agency released in the window'),
  approved: Count('Parts (of filings) the agency approved in the window'),
  rejected: Count('Parts the agency rejected in the window'),
  refused: Count('Parts the agency refused in the window'),
  rejectionRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: '(rejected + refused) / (released + approved + rejected + refused), of the decisions in the window, to 4 decimals; null when it decided none',
  }),
  clearanceMinutes: Type.Object(
    {
      count: Count('Parts released in the window'),
      median: Minutes,
      p90: Minutes,
    },
    { description: 'From a part being stored to its release (or approval, for a filing), for the parts released or approved in the window; minutes to 0.1 (linear interpolation between ranks); null when none' },
  ),
  open: Type.Object(
    { submitted: Count(), delivered: Count(), accepted: Count(), inspection: Count() },
    { description: "The agency's queue now, by part status (not limited to the window)" },
  ),
  inboxPending: Count("Messages in the agency's inbox not acknowledged yet (now)"),
});
export type AgencyStats = Static<typeof AgencyStatsSchema>;

export const StatsSchema = Type.Object({
  tenant: Type.String(),
  from: Type.String({ format: 'date', description: 'First UTC day of the window' }),
  to: Type.String({ format: 'date', description: 'Last UTC day of the window: today' }),
  generatedAt: Type.String({ format: 'date-time' }),
  days: Type.Array(DayStatsSchema, { description: 'Every day of the window, oldest first, zeros included' }),
  agencies: Type.Array(AgencyStatsSchema, { description: 'Each agency with parts, decisions, a queue or pending messages for the tenant, by code' }),
  docTypes: Type.Array(Type.Object({ docType: Type.String(), submitted: Count('Submissions of the type stored in the window') }), { description: 'Each document type submitted in the window, by id' }),
});
export type Stats = Static<typeof StatsSchema>;
