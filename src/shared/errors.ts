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
  AUTH_REQUIRED: { status: 401, en: 'Authentication required: send Authorization: Bearer <api key>, or log in to the portal', zh: '需要身份认证：请发送 Authorization: Bearer <API 密钥>，或登录门户' },
  AUTH_INVALID: { status: 401, en: 'The API key is unknown, revoked or malformed', zh: 'API 密钥无效、已吊销或格式错误' },
  FORBIDDEN: { status: 403, en: 'Your party may not do this', zh: '当前主体无权执行此操作' },
  NOT_FOUND: { status: 404, en: 'Not found', zh: '未找到' },
  ROUTE_NOT_FOUND: { status: 404, en: 'No such endpoint', zh: '接口不存在' },
  METHOD_NOT_ALLOWED: { status: 405, en: 'Method not allowed on this endpoint', zh: '该接口不支持此方法' },
  BODY_MALFORMED: { status: 400, en: 'The request body is not well-formed JSON', zh: '请求体不是合法的 JSON' },
  BODY_TOO_LARGE: { status: 413, en: 'The request body is larger than the limit of {limit} bytes', zh: '请求体超过 {limit} 字节的上限' },
  MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    en: 'Unsupported Content-Type; send application/json (POST /events also takes application/EDIFACT; POST /attachments takes a file only: application/pdf, application/ofd, image/jpeg, image/png, image/tiff or application/octet-stream)',
    zh: '不支持的 Content-Type，请使用 application/json（POST /events 另接受 application/EDIFACT；POST /attachments 只接受文件：application/pdf、application/ofd、image/jpeg、image/png、image/tiff 或 application/octet-stream）',
  },
  // Issue 11 (edges): what Node's HTTP parser, the router and the session check refuse, each in one shape.
  REQUEST_MALFORMED: { status: 400, en: 'The request is not well-formed HTTP/1.1: {reason}', zh: '请求不是合法的 HTTP/1.1：{reason}' },
  URI_TOO_LONG: { status: 414, en: 'The URL is longer than {limit} bytes', zh: 'URL 超过 {limit} 字节的上限' },
  HEADERS_TOO_LARGE: { status: 431, en: 'The request line and headers are larger than {limit} bytes', zh: '请求行与请求头超过 {limit} 字节的上限' },
  REQUEST_TIMEOUT: { status: 408, en: 'The request did not arrive completely within {limit} ms', zh: '请求未在 {limit} 毫秒内完整送达' },
  NOT_ACCEPTABLE: { status: 406, en: 'This endpoint answers {types}; the Accept header allows none of them', zh: '该接口只返回 {types}，Accept 请求头均不接受' },
  BODY_CHARSET_UNSUPPORTED: { status: 415, en: 'A JSON body must be UTF-8; charset "{charset}" is not taken', zh: 'JSON 请求体须为 UTF-8 编码，不接受字符集“{charset}”' },
  EXPECTATION_FAILED: { status: 417, en: 'Expect: {expect} is not supported; only 100-continue is', zh: '不支持 Expect: {expect}，仅支持 100-continue' },
  SERVER_CLOSING: { status: 503, en: 'This server is shutting down; try again in {seconds} s', zh: '服务器正在关闭，请在 {seconds} 秒后重试' },
  SESSION_EXPIRED: { status: 401, en: 'Your portal session has expired; log in again', zh: '门户会话已过期，请重新登录' },
  SESSION_ENDED: { status: 401, en: 'Your portal session was ended (logged out, password changed, or the account disabled or locked); log in again', zh: '门户会话已结束（已退出、密码已修改或账户已停用或锁定），请重新登录' },
  SESSION_UNKNOWN: { status: 401, en: 'The session cookie names no session on this server; log in again', zh: '该会话 Cookie 在本服务器上不对应任何会话，请重新登录' },
  REQUEST_INVALID: { status: 400, en: 'The request does not match the API contract', zh: '请求不符合接口约定' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, en: 'Idempotency-Key must be 1 to 255 visible ASCII characters', zh: 'Idempotency-Key 须为 1 至 255 个可见 ASCII 字符' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, en: 'This Idempotency-Key was already used with a different request body', zh: '该 Idempotency-Key 已用于不同的请求内容' },
  DOCTYPE_UNKNOWN: { status: 404, en: 'Unknown document type "{docType}"', zh: '未知的单证类型“{docType}”' },
  SUBMISSION_INVALID: { status: 422, en: 'The declaration has {count} {count|problem|problems}; nothing was stored', zh: '申报数据有 {count} 处错误，未作保存' },
  SUBMISSION_CLOSED: { status: 409, en: 'The submission is {status}; no further decisions or changes are possible', zh: '该申报已{status}，不能再作处理或变更' },
  SUBMISSION_NOT_CANCELLABLE: { status: 409, en: 'The submission cannot be cancelled: {agency} has already released its part', zh: '该申报不能撤销：{agency} 已放行其分单' },
  PART_TRANSITION_INVALID: { status: 409, en: 'A {agency} part in status "{from}" cannot become "{to}"', zh: '{agency} 分单当前状态“{from}”不能变为“{to}”' },
  DECISION_INVALID: { status: 422, en: 'The decision is incomplete', zh: '处理决定不完整' },
  MESSAGE_NOT_FOUND: { status: 404, en: 'No message {messageId} in your inbox', zh: '您的收件箱中没有消息 {messageId}' },
  PARTY_INVALID: { status: 422, en: 'The party is not valid', zh: '主体信息无效' },
  PARTY_EXISTS: { status: 409, en: 'Party {id} already exists', zh: '主体 {id} 已存在' },
  PARTY_UNKNOWN: { status: 404, en: 'No party {id}', zh: '主体 {id} 不存在' },
  USER_INVALID: { status: 422, en: 'The user is not valid', zh: '用户信息无效' },
  USER_EXISTS: { status: 409, en: 'A user with the email {email} already exists', zh: '邮箱为 {email} 的用户已存在' },
  USER_UNKNOWN: { status: 404, en: 'No user {id}', zh: '用户 {id} 不存在' },
  LOGIN_FAILED: { status: 401, en: 'The email or the password is wrong', zh: '邮箱或密码错误' },
  LOGIN_LOCKED: { status: 429, en: 'Too many failed logins: the account is locked; try again in {seconds} s', zh: '登录失败次数过多，账户已锁定，请在 {seconds} 秒后重试' },
  TOTP_REQUIRED: { status: 401, en: 'This account has two-factor authentication: send the 6-digit code from your authenticator app', zh: '该账户已启用双因素认证：请填写身份验证器应用中的 6 位动态码' },
  TOTP_INVALID: { status: 401, en: 'The one-time code is wrong, expired or already used', zh: '动态码错误、已过期或已使用' },
  TOTP_ALREADY_ENABLED: { status: 409, en: 'Two-factor authentication is already on; turn it off first to enrol a new device', zh: '双因素认证已启用；如需绑定新设备，请先关闭' },
  TOTP_NOT_PENDING: { status: 409, en: 'No two-factor set-up is in progress; start with POST /api/v1/users/me/totp', zh: '没有进行中的双因素认证设置；请先调用 POST /api/v1/users/me/totp' },
  SESSION_REQUIRED: { status: 403, en: 'This needs a person logged in to the portal, not an API key', zh: '此操作须由登录门户的用户执行，不能使用 API 密钥' },
  CSRF_INVALID: { status: 403, en: 'Missing or wrong X-CSRF-Token header for this session', zh: '缺少 X-CSRF-Token 请求头，或其与当前会话不符' },
  KEY_INVALID: { status: 422, en: 'The API key request is not valid', zh: 'API 密钥申请无效' },
  KEY_NOT_USABLE: { status: 409, en: 'Key {id} is revoked or expired', zh: '密钥 {id} 已吊销或已过期' },
  SCOPE_MISSING: { status: 403, en: 'This API key lacks the {scope} scope', zh: '该 API 密钥不具备 {scope} 权限范围' },
  CODE_LIST_UNKNOWN: { status: 404, en: 'Unknown code list "{list}"', zh: '未知的代码表“{list}”' },
  CODE_IMPORT_FAILED: { status: 422, en: 'The code list file could not be imported: {reason}', zh: '代码表文件导入失败：{reason}' },
  LEDGER_ACCOUNT_INVALID: { status: 422, en: 'The account has {count} {count|problem|problems}; nothing was issued', zh: '账册/证件有 {count} 处错误，未予签发' },
  LEDGER_ACCOUNT_EXISTS: { status: 409, en: 'Account {number} already exists with other content', zh: '编号 {number} 的账册/证件已存在且内容不同' },
  LEDGER_ACCOUNT_STATE: { status: 409, en: 'Account {number} is {status}; it cannot be {action}', zh: '账册/证件 {number} 当前为{status}，不能{action}' },
  LEDGER_SIGNATURE_INVALID: { status: 422, en: 'The copy is not authentic: {reason}', zh: '该副本验证未通过：{reason}' },
  LEDGER_RESERVATION_LAPSED: { status: 409, en: 'The quantities this declaration held on {account} were given back before the release (the account was suspended or revoked, or the hold expired); it must be declared again', zh: '本报关单在 {account} 上占用的数量已在放行前释放（证件被暂停或撤销，或占用已过期），须重新申报' },
  RATE_LIMITED: { status: 429, en: 'Too many requests; retry in {seconds} s', zh: '请求过于频繁，请在 {seconds} 秒后重试' },
  WEBHOOK_URL_FORBIDDEN: { status: 422, en: 'Kouan does not push to this URL: webhooks go only to public https:// addresses', zh: '平台不向该地址推送：回调地址须为公网 https:// 地址' },
  DELEGATION_INVALID: { status: 422, en: 'The delegation has {count} {count|problem|problems}; nothing was granted', zh: '委托有 {count} 处错误，未予授予' },
  DELEGATION_REVOKED: { status: 409, en: 'Delegation {id} was already revoked at {revokedAt}', zh: '委托 {id} 已于 {revokedAt} 撤销' },
  DRAFT_LIMIT_REACHED: { status: 409, en: 'Your party keeps {limit} drafts, the most allowed; delete one first', zh: '贵单位已保存 {limit} 份草稿，达到上限；请先删除一份' },
  DRAFT_VERSION_CONFLICT: {
    status: 409,
    en: 'Draft {id} is at version {version}, not {expected}: it was saved meanwhile; read it again before saving',
    zh: '草稿 {id} 当前为第 {version} 版，而非第 {expected} 版：其间已被保存；请重新读取后再保存',
  },
  SIGNATURE_REQUIRED: { status: 401, en: 'Your party requires every submission to be signed: send Kouan-Signature (a detached JWS over the body)', zh: '贵单位要求所有申报均须签名：请发送 Kouan-Signature（对请求体的分离式 JWS）' },
  SIGNATURE_INVALID: { status: 401, en: 'The submission signature is not valid: {reason}', zh: '申报签名无效：{reason}' },
  SIGNATURE_KEY_UNKNOWN: { status: 401, en: 'No active signing key {kid} is registered for your party', zh: '贵单位未登记有效的签名密钥 {kid}' },
  SIGNATURE_HEADER_INVALID: { status: 401, en: 'The submission signature\'s JWS header is not acceptable: {reason}', zh: '申报签名的 JWS 头部不可接受：{reason}' },
  SIGNATURE_ENCODING_INVALID: { status: 401, en: 'The submission signature is not encoded as its algorithm requires: {reason}', zh: '申报签名的编码不符合其算法要求：{reason}' },
  SIGNATURE_SM2_ID_WRONG: {
    status: 401,
    en: 'The SM2 signature was made with the empty signer ID, not the standard ID 1234567812345678 (GM/T 0009); with OpenSSL sign with -pkeyopt distid:1234567812345678 (pkeyutl) or -sigopt distid:1234567812345678 (dgst)',
    zh: 'SM2 签名使用了空的签名者 ID，而非标准 ID 1234567812345678（GM/T 0009）；使用 OpenSSL 时请加 -pkeyopt distid:1234567812345678（pkeyutl）或 -sigopt distid:1234567812345678（dgst）',
  },
  XML_SYNTAX: { status: 400, en: 'The message is not well-formed XML: {detail} ({where})', zh: '报文不是格式正确的 XML：{detail}（{where}）' },
  XML_DOCTYPE: { status: 400, en: 'The message declares a document type: {detail} ({where})', zh: '报文含文档类型声明：{detail}（{where}）' },
  XML_ENTITY: { status: 400, en: 'The message uses an entity Kouan does not read: {detail} ({where})', zh: '报文使用了 Kouan 不读取的实体：{detail}（{where}）' },
  XML_CHARSET: { status: 400, en: 'The character encoding of the message is wrong: {detail} ({where})', zh: '报文字符编码有误：{detail}（{where}）' },
  XML_TOO_DEEP: { status: 400, en: 'The message nests too deep: {detail} ({where})', zh: '报文嵌套层级过深：{detail}（{where}）' },
  EDIFACT_TOO_LARGE: { status: 413, en: 'The interchange is too large: {detail}', zh: '报文交换过大：{detail}' },
  EDIFACT_SYNTAX: { status: 400, en: 'The interchange is not valid UN/EDIFACT: {detail} ({where})', zh: '报文交换不符合 UN/EDIFACT 语法：{detail}（{where}）' },
  EDIFACT_UNTERMINATED: { status: 400, en: 'The interchange ends inside a segment: {detail} ({where})', zh: '报文交换在段内结束：{detail}（{where}）' },
  EDIFACT_ENVELOPE: { status: 400, en: 'The interchange envelope is wrong: {detail} ({where})', zh: '报文交换信封有误：{detail}（{where}）' },
  EDIFACT_COUNT_MISMATCH: { status: 400, en: 'A control count does not match: {detail} ({where})', zh: '控制计数不符：{detail}（{where}）' },
  EDIFACT_REFERENCE_MISMATCH: { status: 400, en: 'A control reference does not match: {detail} ({where})', zh: '控制参考号不符：{detail}（{where}）' },
  EDIFACT_CHARSET: { status: 400, en: 'The character set of the interchange is wrong: {detail} ({where})', zh: '报文交换的字符集有误：{detail}（{where}）' },
  STORE_BUSY: { status: 503, en: 'The store is busy with conflicting or slow work; try again in {seconds} s', zh: '数据存储繁忙，请在 {seconds} 秒后重试' },
  EVENT_PUBLISHER_REQUIRED: { status: 403, en: 'Publishing movements needs a publisher role (carrier, terminal or port) given by an operator', zh: '发布物流动态须由运营方授予发布角色（承运人、码头或港口）' },
  STREAM_LIMIT: { status: 429, en: 'Too many open tracking streams: {limit} per {per}; close one first', zh: '打开的跟踪事件流过多：每{per}最多 {limit} 个，请先关闭一个' },
  STORE_UNAVAILABLE: { status: 503, en: 'The store is not reachable; try again shortly', zh: '数据存储暂不可用，请稍后重试' },
  INTERNAL: { status: 500, en: 'Internal error; it has been logged with the request id', zh: '内部错误，已按请求编号记录' },
  // Forced first password change (issue 11, portal features).
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    en: 'Your password was set by an administrator: choose your own (POST /api/v1/users/me/password) before doing anything else',
    zh: '您的密码由管理员设置：请先设置您自己的密码（POST /api/v1/users/me/password），然后才能进行其他操作',
  },
  // i12-ledger: ledger models (temporary admission deadlines).
  LEDGER_EXTENSION_NOT_ALLOWED: { status: 409, en: 'A {type} has no deadline to extend', zh: '{type} 没有可延期的期限' },
  LEDGER_EXTENSIONS_EXHAUSTED: { status: 409, en: 'Account {number} was extended {extensions} times, the most a {type} allows', zh: '账册/证件 {number} 已延期 {extensions} 次，{type} 不能再延期' },
  // i12-codes: the open code-list registry.
  CODE_LIST_NOT_IMPORTABLE: { status: 422, en: 'The code list "{list}" is {kind}: only store-backed lists are imported ({importable})', zh: '代码表“{list}”为{kind}，仅可导入库存代码表（{importable}）' },
  // i12-amendments: amendment and withdrawal after acceptance (修改/撤销申请).
  AMENDMENT_PENDING: { status: 409, en: 'A request to amend or withdraw the submission ({amendment}) is waiting for the agencies: it is decided first', zh: '该申报的修改/撤销申请（{amendment}）尚待部门审核，须先作出决定' },
  AMENDMENT_BEFORE_ACCEPTANCE: { status: 409, en: 'No agency has taken the submission in yet: cancel it (POST /submissions/{id}/cancel) and file it again instead', zh: '尚无部门受理该申报，请直接撤销（POST /submissions/{id}/cancel）后重新申报' },
  AMENDMENT_ACCOUNT_SETTLED: { status: 409, en: 'The approval {action} ledger account {number}: the document can no longer be amended or withdrawn', zh: '审批已{action}底账 {number}，该单证不能再修改或撤销' },
  LEDGER_REVERSAL_REFUSED: { status: 409, en: 'What the release wrote off on line {line} of {account} cannot be given back: exports have since consumed that material; reject the request', zh: '{account} 第 {line} 项放行时的核销无法退回：该料件已被出口耗用，请不予同意' },
  AMENDMENT_LEDGER_REFUSED: { status: 409, en: 'The ledger cannot hold what the new version draws on ({count} {count|problem|problems}): reject the request', zh: '底账无法满足新版单证所需（{count} 处问题），请不予同意' },
  SUBMISSION_CHANGED: { status: 409, en: 'The submission changed while the request was being checked: send it again', zh: '核对申请期间该申报已变更，请重新提交' },
  AMENDMENT_DECIDED: { status: 409, en: 'The request {amendment} is {status}, or your agency has decided it already', zh: '申请 {amendment} 已{status}，或本部门已作出决定' },
  // i12-formats: message formats registered by a document type.
  FORMAT_UNKNOWN: { status: 415, en: 'The {mediaType} message is of no format a document type registers (GET /api/v1/doctypes: formats; CUSDEC for the goods declaration)', zh: '该 {mediaType} 报文不属于任何单证类型登记的报文格式（见 GET /api/v1/doctypes 的 formats；货物报关单为 CUSDEC）' },
  // i12-attachments: files documents carry.
  ATTACHMENT_EMPTY: { status: 400, en: 'The file is empty', zh: '文件为空' },
  ATTACHMENT_TOO_LARGE: { status: 413, en: 'The file is larger than the limit of {limit} bytes for an attachment', zh: '文件超过随附单证 {limit} 字节的上限' },
  ATTACHMENT_TYPE_UNSUPPORTED: { status: 415, en: 'The file is not a PDF, OFD, JPEG, PNG or TIFF by its content (whatever its name or Content-Type says)', zh: '按文件内容判断，该文件不是 PDF、OFD、JPEG、PNG 或 TIFF 文件（无论其文件名或 Content-Type 为何）' },
  ATTACHMENT_TYPE_MISMATCH: { status: 415, en: 'The Content-Type says {declared}, but the file is {actual}', zh: 'Content-Type 为 {declared}，而文件实为 {actual}' },
} as const satisfies Record<string, ProblemSpec>;

export const FIELD_PROBLEMS = {
  FIELD_REQUIRED: { en: 'This field is required', zh: '此项为必填项' },
  FIELD_UNKNOWN: { en: 'Unknown field "{field}"', zh: '未知字段“{field}”' },
  FIELD_TYPE: { en: 'Must be of type {type}', zh: '类型应为 {type}' },
  FIELD_FORMAT: { en: 'Does not have the required format {format}', zh: '格式不符合要求 {format}' },
  FIELD_NOT_ALLOWED: { en: 'Must be one of: {allowed}', zh: '取值须为以下之一：{allowed}' },
  FIELD_RANGE: { en: 'Out of range: {limit}', zh: '超出允许范围：{limit}' },
  FIELD_ITEMS: { en: 'Wrong number of items: {limit}', zh: '条目数量不符合要求：{limit}' },
  WEBHOOK_HTTPS_REQUIRED: { en: 'Must be an https:// URL', zh: '须为 https:// 地址' },
  WEBHOOK_TARGET_FORBIDDEN: { en: 'The host {host} is a {range} address or name, not a public one', zh: '主机 {host} 为非公网地址或名称（{range}）' },
  WEBHOOK_PORT_FORBIDDEN: { en: 'Port {port} is not allowed: use the default port or one from 1024 to 65535', zh: '不允许使用端口 {port}：请使用默认端口或 1024 至 65535 之间的端口' },
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
  // Reference data (issue 11): the port in the platform's country, the national tariff, customs offices.
  PORT_NOT_IN_COUNTRY: { en: 'The {field} of an {direction} must be in {country}; "{value}" is not', zh: '{field} 须为 {country} 境内口岸（{direction}），“{value}”不是' },
  TARIFF_LINE_UNKNOWN: { en: '"{value}" is not a line of the national tariff loaded here', zh: '“{value}”不是本系统已导入税则中的商品编码' },
  CUSTOMS_DISTRICT_UNKNOWN: { en: '"{value}" does not start with the two digits of a customs district (直属海关)', zh: '“{value}”的前两位不是直属海关代码' },
  CUSTOMS_OFFICE_UNKNOWN: { en: '"{value}" is not in the list of customs offices loaded here', zh: '“{value}”不在本系统已导入的关区代码表中' },
  PORT_OF_EXIT_REQUIRED: { en: 'An export needs portOfExit', zh: '出口申报须填报出境口岸 portOfExit' },
  PORT_WRONG_DIRECTION: { en: '{field} does not apply to an {direction}', zh: '{field} 不适用于{direction}申报' },
  TRADER_ID_REQUIRED: { en: 'The domestic trader ({field}) needs its unified social credit code', zh: '境内收发货人（{field}）须填报统一社会信用代码' },
  COUNTRY_REQUIRED: { en: 'The foreign party needs its country', zh: '境外收发货人须填报国别' },
  LEDGER_ACCOUNT_UNKNOWN: { en: 'No {type} numbered "{number}" in the ledger', zh: '电子底账中没有编号为“{number}”的{type}' },
  LEDGER_TYPE_MISMATCH: { en: 'Account {number} is a {actual}, not a {expected}', zh: '证件 {number} 的类型为 {actual}，不是 {expected}' },
  LEDGER_NO_MATCHING_LINE: { en: 'Account {number} grants nothing for HS {hsCode}', zh: '证件 {number} 未批准商品编码 {hsCode}' },
  LEDGER_UNIT_MISMATCH: { en: 'Account {number} is kept in {expected}, the line is in {actual}', zh: '证件 {number} 的计量单位为 {expected}，本商品项为 {actual}' },
  LEDGER_DIRECTION_MISMATCH: { en: 'Account {number} is for {expected}, this is an {actual}', zh: '证件 {number} 适用于{expected}，本申报为{actual}' },
  LEDGER_HOLDER_MISMATCH: { en: 'Account {number} is held by {holder}, not by the trader {trader}', zh: '证件 {number} 的持证人为 {holder}，不是收发货人 {trader}' },
  LEDGER_NOT_VALID_ON_DATE: { en: 'Account {number} is valid from {validFrom} to {validTo}, not on {date}', zh: '证件 {number} 有效期为 {validFrom} 至 {validTo}，{date} 不在有效期内' },
  LEDGER_PORT_NOT_ALLOWED: { en: 'Account {number} may not be used at {port} (allowed: {ports})', zh: '证件 {number} 不能在 {port} 使用（允许：{ports}）' },
  LEDGER_ACCOUNT_REVOKED: { en: 'Account {number} has been revoked', zh: '证件 {number} 已被撤销' },
  LEDGER_ACCOUNT_SUSPENDED: { en: 'Account {number} is suspended', zh: '证件 {number} 已被暂停使用' },
  LEDGER_USES_EXHAUSTED: { en: 'Account {number} has been used {uses} of {maxUses} times', zh: '证件 {number} 已使用 {uses} 次，上限 {maxUses} 次' },
  LEDGER_INSUFFICIENT_BALANCE: { en: 'Account {number} line {lineNo} has {remaining} {unit} left; this declaration needs {requested}', zh: '证件 {number} 第 {lineNo} 项余量 {remaining} {unit}，本申报需要 {requested}' },
  LEDGER_SIGNATURE_BROKEN: { en: 'Account {number} does not match its signature: the ledger record was altered', zh: '证件 {number} 与其签名不符：电子底账记录已被篡改' },
  LEDGER_NO_MATCHING_PRODUCT: { en: 'Manual {number} lists no finished product HS {hsCode} in {unit}', zh: '手册 {number} 未备案成品 {hsCode}（单位 {unit}）' },
  LEDGER_INSUFFICIENT_STOCK: { en: 'Manual {number} material line {lineNo} has {stock} {unit} of imported stock; this export consumes {requested}', zh: '手册 {number} 第 {lineNo} 项料件进口结余 {stock} {unit}，本出口需耗用 {requested}' },
  LEDGER_PRODUCT_INVALID: { en: 'Products are for processing-trade manuals, and each must consume existing material lines: {problem}', zh: '成品仅用于加工贸易手册，且须耗用已备案料件：{problem}' },
  LEDGER_DOCUMENT_REQUIRED: { en: 'HS {hsCode} needs one of these documents: {types}', zh: '商品编码 {hsCode} 须随附以下证件之一：{types}' },
  LEDGER_TYPE_UNKNOWN: { en: '"{value}" is not an account type (GET /api/v1/ledger/types)', zh: '“{value}”不是已知的账册/证件类型' },
  LEDGER_ISSUER_NOT_ALLOWED: { en: '{issuer} does not issue {type} (issuers: {issuers})', zh: '{issuer} 无权签发 {type}（签发机构：{issuers}）' },
  LEDGER_GOODS_NOT_GOVERNED: { en: 'A {type} does not cover HS {hsCode} (it covers {governs})', zh: '{type} 不适用于商品编码 {hsCode}（适用范围：{governs}）' },
  LEDGER_DIRECTION_NOT_ALLOWED: { en: 'A {type} is not issued for {direction}', zh: '{type} 不适用于{direction}' },
  LEDGER_VALIDITY_INVALID: { en: 'validTo must be a real date on or after validFrom', zh: '有效期截止日须为不早于起始日的有效日期' },
  LEDGER_TOLERANCE_TOO_HIGH: { en: 'A {type} allows at most {max}% tolerance', zh: '{type} 的溢装比例最多为 {max}%' },
  LEDGER_ATTRIBUTE_INVALID: { en: 'Attribute {name} must be one of: {allowed}', zh: '属性 {name} 须为以下之一：{allowed}' },
  LEDGER_SINGLE_USE: { en: 'A {type} is single-use: maxUses must be 1', zh: '{type} 为一次性使用证件，maxUses 须为 1' },
  PASSWORD_TOO_SHORT: { en: 'The password needs at least {min} characters', zh: '密码至少需要 {min} 个字符' },
  PASSWORD_IS_EMAIL: { en: 'The password must not be the email address', zh: '密码不能与邮箱地址相同' },
  PASSWORD_CURRENT_WRONG: { en: 'This is not your current password', zh: '当前密码不正确' },
  PASSWORD_UNCHANGED: { en: 'The new password must differ from the current one', zh: '新密码不能与当前密码相同' },
  TOTP_CODE_WRONG: { en: 'The code does not match the authenticator app', zh: '动态码与身份验证器应用不符' },
  EVENT_CODE_MISMATCH: { en: 'Code {code} is not a {eventType} event code (allowed: {allowed})', zh: '代码 {code} 不是 {eventType} 类事件代码（允许：{allowed}）' },
  EVENT_TIME_INVALID: { en: '"{value}" is not an ISO 8601 date-time with a zone', zh: '“{value}”不是带时区的 ISO 8601 日期时间' },
  EVENT_TIME_FUTURE: { en: 'An {classifier} event may be at most {limit} in the future', zh: '{classifier} 事件时间最多只能晚于当前 {limit}' },
  EVENT_REFERENCE_REQUIRED: { en: 'An event needs at least one reference: container, billOfLading, vesselImo or submission', zh: '事件须至少关联一项：集装箱、提单、船舶或申报' },
  EVENT_TYPE_NOT_ALLOWED: { en: 'A party of kind {kind} may not publish {eventType} events', zh: '{kind} 类主体不能发布 {eventType} 事件' },
  EVENT_CLEARANCE_NOT_ACTUAL: { en: 'Clearance events are always actual (ACT)', zh: '通关事件只能为实际发生（ACT）' },
  EVENT_AGENCY_MISMATCH: { en: 'An agency publishes clearance events about itself only ({agency})', zh: '机构只能发布关于本机构的通关事件（{agency}）' },
  EVENT_SUBMISSION_UNKNOWN: { en: 'No submission {value} that you may see', zh: '没有您可查看的申报 {value}' },
  EVENT_ID_CONFLICT: { en: 'Event {eventId} was already published with other content', zh: '事件 {eventId} 已以不同内容发布' },
  EDIFACT_EVENT_UNMAPPED: { en: '{message}', zh: '该段未能转换为跟踪事件：{message}' },
  EVENT_REFERENCE_NOT_YOURS: { en: '{reference} is not yours to publish on: {why}', zh: '您不能发布关于{reference}的事件：{why}' },
  DECLARANT_NOT_CALLER: { en: 'The declarant must be the submitting party {party}', zh: '申报单位须为提交主体 {party}' },
  BROKER_ROLE_REQUIRED: { en: 'Declaring for another enterprise needs the broker role', zh: '代理他人申报须具备报关企业（broker）角色' },
  DELEGATION_AGENT_UNKNOWN: { en: 'No enterprise {agent} is registered', zh: '未登记企业 {agent}' },
  DELEGATION_AGENT_NOT_BROKER: { en: '{agent} does not hold the broker role', zh: '{agent} 不具备报关企业（broker）角色' },
  DELEGATION_SELF: { en: 'An enterprise declares for itself without a delegation', zh: '企业自理申报无需委托' },
  DELEGATION_PERIOD_INVALID: { en: 'validTo {validTo} is before validFrom {validFrom}', zh: '委托截止日 {validTo} 早于起始日 {validFrom}' },
  DELEGATION_PERIOD_ENDED: { en: 'validTo {validTo} is already past (today is {today}, UTC)', zh: '委托截止日 {validTo} 已过（今日为 {today}，UTC）' },
  DELEGATION_REQUIRED: {
    en: 'Declaring for {trader} needs a delegation from it covering {docType}, {direction} and today (POST /api/v1/delegations)',
    zh: '代理 {trader} 申报须持有其有效委托，且涵盖 {docType}、{direction} 及当日（POST /api/v1/delegations）',
  },
  // processing-trade filing (src/doctypes/processing-trade-filing)
  ITEM_NUMBER_DUPLICATE: { en: 'Number {value} is used by another item of this list', zh: '序号 {value} 与本表其他项重复' },
  MATERIAL_UNKNOWN: { en: 'No imported material has number {value}', zh: '料件表中无序号为 {value} 的料件' },
  // exhibition filing (src/doctypes/exhibition-filing)
  EVENT_PERIOD_INVALID: { en: 'The event closes before it opens ({opensOn})', zh: '展会闭幕日期早于开幕日期（{opensOn}）' },
  PROCESSING_PERIOD_INVALID: { en: 'The manual must end after the contract was signed ({signedOn}), and within five years of it', zh: '手册有效期须晚于合同签订日期（{signedOn}），且不超过其后五年' },
  // i12-ledger: ledger models (lines keyed by their model, temporary admission, transport documents, money).
  LEDGER_FIELD_NOT_ALLOWED: { en: 'A {type} has no {field}', zh: '{type} 不含 {field} 项' },
  LEDGER_LINE_KEY_DUPLICATE: { en: 'Line {key} appears more than once', zh: '项号 {key} 重复' },
  LEDGER_LINE_KEY_REQUIRED: { en: 'Account {number} has several lines: the reference must name one by its key', zh: '账册/证件 {number} 有多个项目，须以项号指明所用项目' },
  LEDGER_NO_MATCHING_KEY: { en: 'Account {number} has no line {key}', zh: '账册/证件 {number} 没有项号 {key}' },
  LEDGER_NUMBER_REQUIRED: { en: 'A {type} carries the number of the document it records: number is required', zh: '{type} 须以其所记录单证的编号为编号：number 为必填项' },
  LEDGER_PACKAGE_UNIT_INVALID: { en: 'A bill line counts packages (a UN/ECE Rec 21 package code), not {unit}; the gross mass goes in grossMass', zh: '提单项目以包装件数计（UN/ECE 第21号建议书包装代码），不能为 {unit}；毛重填入 grossMass' },
  LEDGER_ONE_AMOUNT: { en: 'A {type} holds exactly one amount', zh: '{type} 只能有一项金额' },
  LEDGER_CURRENCY_INVALID: { en: 'An amount is kept in an ISO 4217 currency, not {value}', zh: '金额须以 ISO 4217 币制代码计，不能为 {value}' },
  LEDGER_NOT_IN_FULL: { en: 'Account {number} is claimed once, in full: {amount} {unit}, not {requested}', zh: '账册/证件 {number} 须一次全额使用：{amount} {unit}，而非 {requested}' },
  LEDGER_DEADLINE_TOO_LATE: { en: 'A {type} must be written off within {months} months of entry: validTo may be {latest} at the latest', zh: '{type} 须自进境之日起 {months} 个月内核销：有效期截止日最晚为 {latest}' },
  LEDGER_WRITE_OFF_INVALID: { en: 'Account {number}: {writeOff} is not a write-off an {direction} can make', zh: '账册/证件 {number}：{direction}不能以“{writeOff}”方式核销' },
  // i12-closure: closing a ledger account by a reconciling document (the processing-trade closure, 核销).
  LEDGER_ACCOUNT_CLOSED: { en: 'Account {number} is closed', zh: '账册/证件 {number} 已核销结案' },
  LEDGER_CLOSURE_UNSUPPORTED: { en: 'A {type} is not closed by a reconciliation', zh: '{type} 不通过核销报核结案' },
  LEDGER_CLOSURE_PENDING: { en: 'Account {number} still has declarations in progress on it ({reserved} {unit} held on line {lineNo}): they must be released or withdrawn first', zh: '账册/证件 {number} 第 {lineNo} 项尚有在途报关单占用 {reserved} {unit}，须待其放行或撤销后方可报核' },
  LEDGER_CLOSURE_LINE_MISSING: { en: 'Line {lineNo} of account {number} is not reported', zh: '账册/证件 {number} 第 {lineNo} 项未报核' },
  LEDGER_CLOSURE_LINE_UNKNOWN: { en: 'Account {number} has no line {lineNo}', zh: '账册/证件 {number} 没有第 {lineNo} 项' },
  LEDGER_CLOSURE_MISMATCH: { en: 'Line {lineNo}: the ledger has {expected} {unit}, not {reported}', zh: '第 {lineNo} 项：底账记录为 {expected} {unit}，而非 {reported}' },
  LEDGER_CLOSURE_UNBALANCED: { en: 'Line {lineNo}: the stock of {stock} {unit} is not what domestic sales, leftover, scrap and destruction account for ({accounted})', zh: '第 {lineNo} 项：结余 {stock} {unit} 与内销、余料、边角料及销毁数量之和（{accounted}）不符' },
  DECIMAL_NEGATIVE: { en: 'Must not be negative', zh: '不得为负数' },
  DOMESTIC_SALES_APPROVAL_REQUIRED: { en: 'Domestic sales of bonded materials need commerce\'s approval: its number is required', zh: '保税料件内销须经商务主管部门批准，须填报批准文号' },
  // i12-codes: the open code-list registry.
  CODE_NOT_IN_LIST: { en: '"{value}" is not a code of the list {list} (GET /api/v1/codes/{list})', zh: '“{value}”不是代码表 {list} 中的代码（GET /api/v1/codes/{list}）' },
  TRADE_MODE_UNKNOWN: { en: '"{value}" is not a trade mode (监管方式) of the list imported here', zh: '“{value}”不是本系统已导入的监管方式代码' },
  LEVY_NATURE_UNKNOWN: { en: '"{value}" is not a levy nature (征免性质) of the list imported here', zh: '“{value}”不是本系统已导入的征免性质代码' },
  // i12-trade-modes: the goods declaration's trade mode (监管方式) and the accounts it draws on.
  TRADE_MODE_DOCUMENT_REQUIRED: { en: 'Under trade mode {mode} every line cites a {type} (GET /api/v1/ledger/types)', zh: '监管方式 {mode} 下每项商品须填报 {type}' },
  TRADE_MODE_MISMATCH: { en: 'A line draws on a {type}: the trade mode must be one of {modes}, not {mode}', zh: '商品项使用了 {type}，监管方式须为 {modes}，而非 {mode}' },
  // i12-amendments: amendment and withdrawal after acceptance.
  AMENDMENT_UNCHANGED: { en: 'The new version is the document as it stands: there is nothing to amend', zh: '新版单证与现行单证相同，无需修改' },
  AMENDMENT_TRADER_CHANGED: { en: 'An amendment cannot change whom the document is for ({trader}): withdraw it and file a new one', zh: '修改不能变更收发货人（{trader}），请撤销后重新申报' },
  AMENDMENT_DATA_REQUIRED: { en: 'An amendment carries the whole new document in data', zh: '修改申请须在 data 中提供完整的新版单证' },
  AMENDMENT_DATA_NOT_ALLOWED: { en: 'A withdrawal carries no document', zh: '撤销申请不附单证' },
  // i12-formats: messages read by a document type's format.
  MESSAGE_NOT_ONE: { en: 'An interchange carries exactly one {type} message, not {count}', zh: '一个交换须仅含一份 {type} 报文，而非 {count} 份' },
  MESSAGE_VALUE_UNKNOWN: { en: '{element} "{value}" is not a code this format reads ({codes})', zh: '{element}“{value}”不是本格式可识别的代码（{codes}）' },
  MESSAGE_ELEMENT_MISSING: { en: 'The message has no {element}', zh: '报文缺少 {element}' },
  MESSAGE_PORT_UNMAPPED: { en: 'Port code "{value}" is a China customs port code, which Kouan does not map yet: give the port as a UN/LOCODE (e.g. CNSHA)', zh: '口岸代码“{value}”为海关口岸代码，Kouan 暂不能转换，请填报 UN/LOCODE（如 CNSHA）' },
  MESSAGE_CURRENCIES_MIXED: { en: 'The goods lines are in more than one currency ({currencies}); a declaration has one', zh: '商品项币制不一致（{currencies}），一份报关单只能使用一种币制' },
  MESSAGE_LICENCE_UNMATCHED: { en: 'Licence {number} ({type}) covers none of the goods lines: name it on the lines it covers (DecGoodsLimit)', zh: '许可证件 {number}（{type}）不涵盖任何商品项，请在对应商品项中填报（DecGoodsLimit）' },
  MESSAGE_SEGMENT_MISPLACED: { en: 'A {tag} segment of a goods item comes before the item\'s {before}', zh: '商品项的 {tag} 段出现在该项的 {before} 段之前' },
  // i12-attachments: files documents carry.
  ATTACHMENT_KIND_UNKNOWN: { en: '"{kind}" is not a kind of attachment this document type takes ({kinds})', zh: '“{kind}”不是该单证类型接受的随附单证种类（{kinds}）' },
  ATTACHMENT_NOT_UPLOADED: { en: 'You uploaded no file with this hash: upload it first (POST /api/v1/attachments)', zh: '您未上传该哈希值的文件，请先上传（POST /api/v1/attachments）' },
  ATTACHMENT_TYPE_NOT_ALLOWED: { en: 'A {kind} may be {allowed}, not {mediaType}', zh: '{kind} 须为 {allowed} 格式，不能为 {mediaType}' },
  ATTACHMENT_DUPLICATE: { en: 'This file is already attached as a {kind}', zh: '该文件已作为 {kind} 随附' },
  ATTACHMENT_TOO_MANY: { en: 'At most {max} {kind} files may be attached', zh: '{kind} 最多可随附 {max} 个文件' },
  ATTACHMENT_REQUIRED: { en: 'This document must carry a file of kind {kind} (GET /api/v1/doctypes/{docType}: attachments)', zh: '该单证须随附“{kind}”类文件（见 GET /api/v1/doctypes/{docType} 的 attachments）' },
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

/**
 * Fills `{name}` placeholders of a message template, and `{name|one|other}` with the word for that count
 * ("1 problem", "2 problems"; Chinese needs no such form).
 */
export function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)(?:\|([^|}]*)\|([^}]*))?\}/g, (whole, name: string, one: string | undefined, other: string | undefined) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (one !== undefined && other !== undefined) return Number(value) === 1 ? one : other;
    return String(value);
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
  // Reference data (issue 11).
  PORT_FUNCTION_MISMATCH: {
    en: 'UN/LOCODE does not list {value} as a {mode} location (its functions are {functions}); check the port, or ignore this where the trade uses the code beyond its listed functions',
    zh: 'UN/LOCODE 未将 {value} 列为运输方式 {mode} 的地点（功能代码 {functions}）；请核对口岸，如该代码按惯例用于此运输方式可忽略本提示',
  },
  STATUTORY_UNIT_NOT_DECLARED: {
    en: 'Tariff line {hsCode} counts goods in {unit} (statutory unit {position}), but the line gives its quantity in {declared}; customs needs the quantity in {unit} too',
    zh: '商品编码 {hsCode} 的法定第{position}计量单位为{unit}，本商品项以 {declared} 申报数量；海关还需以{unit}申报的数量',
  },
  TARIFF_CHAPTER_NOT_COVERED: {
    en: 'The tariff loaded here has no lines in chapter {chapter}, so {value} was checked against the HS subheadings only',
    zh: '本系统已导入的税则不含第 {chapter} 章，{value} 仅按 HS 子目校验',
  },
  CUSTOMS_OFFICE_LIST_NOT_LOADED: {
    en: 'The list of customs offices is not imported here, so {value} was checked by its customs district only (an operator runs `kouan codes import customs-offices FILE`)',
    zh: '本系统尚未导入关区代码表，{value} 仅按直属海关校验（由运维人员执行 `kouan codes import customs-offices FILE`）',
  },
  // i12-codes: the open code-list registry.
  CODE_LIST_NOT_LOADED: {
    en: 'The code list {list} is not imported here, so its codes were checked by shape only (an operator runs `kouan codes import {list} FILE`)',
    zh: '本系统尚未导入代码表 {list}，其代码仅作格式校验（由运维人员执行 `kouan codes import {list} FILE`）',
  },
} as const satisfies Record<string, FieldSpec>;

export type NoticeCode = keyof typeof NOTICES;
