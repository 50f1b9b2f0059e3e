/**
 * The one registry of Kouan's stable error codes. A problem code names what went wrong with a request as a
 * whole (it carries the HTTP status); a field code names what is wrong with one value inside it (it appears in
 * `errors[]` with the value's JSON path). Messages are templates in English and Chinese; `{name}` placeholders
 * are filled from the error's params. Codes are part of the API contract: never rename one, only add.
 */

export type Language = 'en' | 'zh';

interface ProblemSpec {
  readonly status: number;
  readonly en: string;
  readonly zh: string;
}

interface FieldSpec {
  readonly en: string;
  readonly zh: string;
}

export const PROBLEMS = {
  AUTH_REQUIRED: { status: 401, en: 'Authentication required: send Authorization: Bearer <api key>', zh: '需要身份认证：请发送 Authorization: Bearer <API 密钥>' },
  AUTH_INVALID: { status: 401, en: 'The API key is unknown, revoked or malformed', zh: 'API 密钥无效、已吊销或格式错误' },
  FORBIDDEN: { status: 403, en: 'Your party may not do this', zh: '当前主体无权执行此操作' },
  NOT_FOUND: { status: 404, en: 'Not found', zh: '未找到' },
  ROUTE_NOT_FOUND: { status: 404, en: 'No such endpoint', zh: '接口不存在' },
  METHOD_NOT_ALLOWED: { status: 405, en: 'Method not allowed on this endpoint', zh: '该接口不支持此方法' },
  BODY_MALFORMED: { status: 400, en: 'The request body is not well-formed JSON', zh: '请求体不是合法的 JSON' },
  BODY_TOO_LARGE: { status: 413, en: 'The request body is larger than the limit of {limit} bytes', zh: '请求体超过 {limit} 字节的上限' },
  MEDIA_TYPE_UNSUPPORTED: { status: 415, en: 'Unsupported Content-Type; send application/json', zh: '不支持的 Content-Type，请使用 application/json' },
  REQUEST_INVALID: { status: 400, en: 'The request does not match the API contract', zh: '请求不符合接口约定' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, en: 'Idempotency-Key must be 1 to 255 visible ASCII characters', zh: 'Idempotency-Key 须为 1 至 255 个可见 ASCII 字符' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, en: 'This Idempotency-Key was already used with a different request body', zh: '该 Idempotency-Key 已用于不同的请求内容' },
  DOCTYPE_UNKNOWN: { status: 404, en: 'Unknown document type "{docType}"', zh: '未知的单证类型“{docType}”' },
  SUBMISSION_INVALID: { status: 422, en: 'The declaration has {count} problem(s); nothing was stored', zh: '申报数据有 {count} 处错误，未作保存' },
  SUBMISSION_CLOSED: { status: 409, en: 'The submission is {status}; no further decisions or changes are possible', zh: '该申报已{status}，不能再作处理或变更' },
  SUBMISSION_NOT_CANCELLABLE: { status: 409, en: 'The submission cannot be cancelled: {reason}', zh: '该申报不能撤销：{reason}' },
  PART_TRANSITION_INVALID: { status: 409, en: 'A {agency} part in status "{from}" cannot become "{to}"', zh: '{agency} 分单当前状态“{from}”不能变为“{to}”' },
  DECISION_INVALID: { status: 422, en: 'The decision is incomplete', zh: '处理决定不完整' },
  MESSAGE_NOT_FOUND: { status: 404, en: 'No message {messageId} in your inbox', zh: '您的收件箱中没有消息 {messageId}' },
  PARTY_INVALID: { status: 422, en: 'The party is not valid', zh: '主体信息无效' },
  PARTY_EXISTS: { status: 409, en: 'Party {id} already exists', zh: '主体 {id} 已存在' },
  PARTY_UNKNOWN: { status: 404, en: 'No party {id}', zh: '主体 {id} 不存在' },
  CODE_LIST_UNKNOWN: { status: 404, en: 'Unknown code list "{list}"', zh: '未知的代码表“{list}”' },
  CODE_IMPORT_FAILED: { status: 422, en: 'The code list file could not be imported: {reason}', zh: '代码表文件导入失败：{reason}' },
  STORE_UNAVAILABLE: { status: 503, en: 'The store is not reachable; try again shortly', zh: '数据存储暂不可用，请稍后重试' },
  INTERNAL: { status: 500, en: 'Internal error; it has been logged with the request id', zh: '内部错误，已按请求编号记录' },
} as const satisfies Record<string, ProblemSpec>;

export const FIELD_PROBLEMS = {
  FIELD_REQUIRED: { en: 'This field is required', zh: '此项为必填项' },
  FIELD_UNKNOWN: { en: 'Unknown field "{field}"', zh: '未知字段“{field}”' },
  FIELD_TYPE: { en: 'Must be of type {type}', zh: '类型应为 {type}' },
  FIELD_FORMAT: { en: 'Does not have the required format {format}', zh: '格式不符合要求 {format}' },
  FIELD_NOT_ALLOWED: { en: 'Must be one of: {allowed}', zh: '取值须为以下之一：{allowed}' },
  FIELD_RANGE: { en: 'Out of range: {limit}', zh: '超出允许范围：{limit}' },
  FIELD_ITEMS: { en: 'Wrong number of items: {limit}', zh: '条目数量不符合要求：{limit}' },
  DECIMAL_INVALID: { en: 'Must be a decimal number (a JSON number or a string such as "12.345")', zh: '须为十进制数（JSON 数字或如 "12.345" 的字符串）' },
  DECIMAL_PRECISION: { en: 'At most {integer} integer digits and {scale} decimals; send more digits as a string', zh: '整数位最多 {integer} 位、小数位最多 {scale} 位；更多位数请以字符串提交' },
  DECIMAL_NOT_POSITIVE: { en: 'Must be greater than zero', zh: '须大于零' },
  COUNTRY_UNKNOWN: { en: '"{value}" is not an ISO 3166-1 alpha-2 country code', zh: '“{value}”不是 ISO 3166-1 两位国家代码' },
  CURRENCY_UNKNOWN: { en: '"{value}" is not an ISO 4217 currency code', zh: '“{value}”不是 ISO 4217 币制代码' },
  UNIT_UNKNOWN: { en: '"{value}" is not a UN/ECE Recommendation 20 unit code Kouan knows', zh: '“{value}”不是已知的 UN/ECE 第 20 号建议书计量单位代码' },
  INCOTERM_UNKNOWN: { en: '"{value}" is not an Incoterms 2020 rule', zh: '“{value}”不是 2020 版国际贸易术语' },
  LOCODE_FORMAT: { en: '"{value}" is not shaped like a UN/LOCODE (country code + 3 letters or digits 2-9)', zh: '“{value}”不符合 UN/LOCODE 格式（国家代码 + 3 位字母或数字 2-9）' },
  LOCODE_UNKNOWN: { en: '"{value}" is not in the imported UN/LOCODE list', zh: '“{value}”不在已导入的 UN/LOCODE 代码表中' },
  HS_FORMAT: { en: '"{value}" is not a 10-digit HS code', zh: '“{value}”不是 10 位商品编码' },
  HS_UNKNOWN: { en: 'The first six digits "{subheading}" are not an HS subheading', zh: '前六位“{subheading}”不是 HS 子目' },
  USCC_INVALID: { en: '"{value}" is not a valid unified social credit code (GB 32100 check character)', zh: '“{value}”不是有效的统一社会信用代码（GB 32100 校验码）' },
  CONTAINER_CHECK_DIGIT: { en: '"{value}" is not a valid ISO 6346 container number (check digit)', zh: '“{value}”不是有效的 ISO 6346 集装箱号（校验位）' },
  CONTAINER_DUPLICATE: { en: 'Container "{value}" is listed more than once', zh: '集装箱“{value}”重复填报' },
  IMO_CHECK_DIGIT: { en: '"{value}" is not a valid IMO ship number (check digit)', zh: '“{value}”不是有效的 IMO 船舶编号（校验位）' },
  VESSEL_REQUIRED: { en: 'A sea shipment needs the vessel\'s IMO number', zh: '海运须填报船舶 IMO 编号' },
  NET_WEIGHT_ABOVE_GROSS: { en: 'Net weight {net} kg is above gross weight {gross} kg', zh: '净重 {net} 千克大于毛重 {gross} 千克' },
  PORT_OF_ENTRY_REQUIRED: { en: 'An import needs portOfEntry', zh: '进口申报须填报入境口岸 portOfEntry' },
  PORT_OF_EXIT_REQUIRED: { en: 'An export needs portOfExit', zh: '出口申报须填报出境口岸 portOfExit' },
  PORT_WRONG_DIRECTION: { en: '{field} does not apply to an {direction}', zh: '{field} 不适用于{direction}申报' },
  TRADER_ID_REQUIRED: { en: 'The domestic trader ({field}) needs its unified social credit code', zh: '境内收发货人（{field}）须填报统一社会信用代码' },
  COUNTRY_REQUIRED: { en: 'The foreign party needs its country', zh: '境外收发货人须填报国别' },
  DECLARANT_NOT_CALLER: { en: 'The declarant must be the submitting party {party}', zh: '申报单位须为提交主体 {party}' },
  BROKER_ROLE_REQUIRED: { en: 'Declaring for another enterprise needs the broker role', zh: '代理他人申报须具备报关企业（broker）角色' },
} as const satisfies Record<string, FieldSpec>;

export type ProblemCode = keyof typeof PROBLEMS;
export type FieldCode = keyof typeof FIELD_PROBLEMS;
export type Params = Readonly<Record<string, string | number>>;

/** One problem with one value: the JSON path of the value, a stable code and the params of its message. */
export interface FieldError {
  readonly path: string;
  readonly code: FieldCode;
  readonly params?: Params;
}

/** The error every module throws for an expected failure; the HTTP layer turns it into problem+json. */
export class KouanError extends Error {
  readonly code: ProblemCode;
  readonly params: Params;
  readonly errors: readonly FieldError[];
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ProblemCode, options: { params?: Params; errors?: readonly FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(fill(PROBLEMS[code].en, options.params ?? {}));
    this.name = 'KouanError';
    this.code = code;
    this.params = options.params ?? {};
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }

  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

/** Fills `{name}` placeholders of a message template. */
export function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The message of a problem code in a language. */
export function problemTitle(code: ProblemCode, language: Language, params: Params = {}): string {
  return fill(PROBLEMS[code][language], params);
}

/** The message of a field code in a language. */
export function fieldMessage(error: FieldError, language: Language): string {
  return fill(FIELD_PROBLEMS[error.code][language], error.params ?? {});
}

/** Notices: not errors, but what a caller should know about how a document was checked. */
export const NOTICES = {
  HS_LIST_NOT_LOADED: {
    en: 'The HS nomenclature is not imported here, so HS codes were checked by shape only (an operator runs `kouan codes import hs FILE`)',
    zh: '本系统尚未导入 HS 编码表，商品编码仅作格式校验（由运维人员执行 `kouan codes import hs FILE`）',
  },
  LOCODE_LIST_NOT_LOADED: {
    en: 'UN/LOCODE is not imported here, so location codes were checked by shape only (an operator runs `kouan codes import locode FILE`)',
    zh: '本系统尚未导入 UN/LOCODE 代码表，地点代码仅作格式校验（由运维人员执行 `kouan codes import locode FILE`）',
  },
} as const satisfies Record<string, FieldSpec>;

export type NoticeCode = keyof typeof NOTICES;
