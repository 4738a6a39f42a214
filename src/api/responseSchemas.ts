/**
 * Response schemas of the enforcement and registry routes, for the OpenAPI document (a client can generate
 * types from it) and for serialization. Every object is open (`additionalProperties: true`): the views grow
 * with the law they follow, and fastify's serializer must never drop a field a schema forgot; the fields
 * listed are typed exactly as the services build them (src/services/enforcement/*, src/registries/queries.ts).
 */
import { Type, type TObject, type TProperties, type TSchema } from 'typebox';
import { IsoDateString, Money, Nullable } from './schemas.ts';

const Open = <T extends TProperties>(properties: T, description?: string): TObject<T> =>
  Type.Object(properties, { additionalProperties: true, ...(description ? { description } : {}) });
const Str = (description?: string) => Type.String(description ? { description } : {});
const NStr = (description?: string) => Nullable(Str(description));
const Int = (description?: string) => Type.Integer(description ? { description } : {});
const NMoney = Nullable(Money);
const Any = (description: string) => Type.Unknown({ description });
const List = (item: TSchema, description: string) => Type.Array(item, { description });

// ——— 执法 enforcement ———

const OrderItem = Open({ projectCode: Str(), idNumber: Str('身份证号（遮蔽）'), name: NStr(), month: Str('YYYY-MM'), amountOrdered: Money, owedNow: Money, paidInFullOn: NStr('付清日') });
export const OrderView = Open(
  {
    id: Int(),
    employerUscc: Str('用人单位统一社会信用代码'),
    employerName: NStr(),
    issuedOn: IsoDateString,
    deadline: IsoDateString,
    caseId: Nullable(Int()),
    ordered: Money,
    actor: Str(),
    reason: Str(),
    createdAt: Str(),
    withdrawnAt: NStr(),
    evaluation: Open(
      {
        asOf: IsoDateString,
        status: Str('履行情况'),
        ordered: Money,
        owed: Money,
        items: List(OrderItem, '逐人逐月'),
        proposals: List(Open({ step: Str(), proposed: Type.Boolean(), amount: NMoney, text: Str(), basis: Any('法律依据') }), '逾期后的处理建议'),
        threshold: Any('列入失信名单的门槛判断（或 null）'),
        sentence: Str('可宣读的一句话'),
        params: Any('所用参数及其出处'),
      },
      '按 asOf 评估的履行情况',
    ),
  },
  '责令限期支付',
);
export const OrderList = Open({ asOf: IsoDateString, items: Type.Array(OrderView) }, '责令限期支付列表');

export const CaseView = Open(
  {
    id: Int(),
    title: Str(),
    employerUscc: Str(),
    employerName: NStr(),
    projectId: Nullable(Int()),
    filedOn: IsoDateString,
    stage: Str('当前阶段代码'),
    stageName: Str('当前阶段（中文）'),
    stageSince: Str(),
    acceptedOn: NStr(),
    finalAward: Nullable(Type.Boolean()),
    procedure: NStr(),
    circumstances: Any('案情（逃匿、欠条、调解意愿、生效文书）'),
    routing: Any('分流结果及理由'),
    amounts: Open({ claimed: Money, agreed: NMoney, paidToWorkers: Money, ledgerArrearsNow: Money, outstandingAgainstAgreed: NMoney }),
    asOf: IsoDateString,
    deadlines: List(Open({ name: Str() }), '当前阶段的法定期限'),
    allowedNext: List(Open({ to: Str(), name: Str(), why: Str(), basis: Any('法律依据') }), '允许的下一阶段'),
    items: List(Open({ projectCode: Str(), idNumber: Str('身份证号（遮蔽）'), name: NStr(), month: Str(), claimed: Money, ledger: Any('该工人月的工资台账（或 null）'), fingerprint: NStr() }), '关联的工人月度'),
    events: List(Open({ id: Int(), kind: Str(), on: Str(), actor: Str(), reason: NStr(), at: Str() }), '案件记录'),
    createdBy: Str(),
    createdAt: Str(),
  },
  '欠薪案件',
);
export const CaseList = Open({ asOf: IsoDateString, items: Type.Array(CaseView) }, '案件列表');
export const EvidencePack = Open(
  {
    title: Str(),
    asOf: IsoDateString,
    flagsComputedAsOf: NStr('所用预警的计算日'),
    case: Open({ id: Int(), title: Str(), stage: Str(), stageName: Str() }, '案件摘要：阶段、期限、分流理由、金额、记录'),
    projects: List(Any('一个项目：专用账户、保证金、工资表'), '涉及的项目'),
    workers: List(Any('一名工人：花名册、逐月台账、发放记录（银行流水号）、预警及法条'), '涉及的工人'),
    totals: Open({ workers: Int(), workerMonths: Int(), claimed: Money, netDue: Money, paid: Money, arrears: Money }),
  },
  '证据包（JSON）：工资台账、花名册、工资表、发放记录、专户支出、预警及法条',
);

export const ListingView = Open(
  {
    id: Int(),
    uscc: Str(),
    name: Str(),
    orderId: Nullable(Int()),
    criterion: NStr(),
    status: Str('程序状态'),
    onListAt: Type.Boolean({ description: 'asOf 当日是否在名单上' }),
    asOf: IsoDateString,
    listedFrom: NStr(),
    listedUntilExclusive: NStr('名单期间止（不含）'),
    publishedOn: NStr(),
    persons: List(Open({ name: Str(), role: Any('身份（法定代表人、直接责任人员）') }), '一并列入的法定代表人和直接责任人员'),
    clock: Any('各步骤的期限'),
    steps: List(Open({ id: Int(), step: Str(), on: Str(), actor: Str(), reason: NStr(), at: Str() }), '已记录的步骤'),
    lighterList: Str(),
  },
  '失信联合惩戒名单程序',
);
export const ListingList = Open({ asOf: IsoDateString, lighterList: Str(), items: Type.Array(ListingView) }, '名单程序列表');
export const BlacklistChanges = Open(
  {
    from: IsoDateString,
    to: IsoDateString,
    items: Type.Array(
      Open({
        listingId: Int(),
        uscc: Str(),
        name: Str(),
        change: Type.Union([Type.Literal('listed'), Type.Literal('published'), Type.Literal('not_listed'), Type.Literal('removed'), Type.Literal('restored'), Type.Literal('revoked'), Type.Literal('expired')]),
        on: Str(),
        actor: NStr(),
        reason: NStr(),
      }),
    ),
  },
  '名单变化',
);
export const IncidentRecorded = Open({ id: Int(), employerUscc: Str(), kind: Str(), occurredOn: IsoDateString, description: Str() }, '已记录的事件');

// ——— 登记册 registries ———

const Source = Open({ batchId: Int('导入批次（经 API 建立的为 0）'), line: Int('文件行号'), createdBy: NStr('经 API 建立者') });
const ProjectRef = Nullable(Open({ id: Int(), code: NStr() }));
const Person = { id: Int(), idNumber: Str('身份证号（遮蔽）'), name: Str() };

export const TrainingRecord = Open({
  ...Person,
  project: ProjectRef,
  course: Str(),
  trainingType: Str(),
  trainingTypeLabel: NStr(),
  provider: Str(),
  startDate: Str(),
  endDate: NStr(),
  result: NStr(),
  resultLabel: NStr(),
  certificate: Nullable(Open({ kind: Str(), kindLabel: NStr(), no: Str(), trade: NStr() })),
  subsidy: Nullable(Open({ amount: NMoney, status: NStr(), statusLabel: NStr() })),
  source: Source,
}, '职业技能培训记录');
export const InsuranceRecord = Open({
  ...Person,
  kind: Str(),
  kindLabel: NStr(),
  insuredWhere: Str(),
  insuredBy: Nullable(Open({ name: NStr(), uscc: NStr() })),
  from: Str(),
  to: NStr(),
  projectBased: Type.Boolean({ description: '按项目参保（工伤保险）' }),
  project: ProjectRef,
  source: Source,
}, '社会保险参保记录');
export const HousingRecord = Open({
  ...Person,
  project: ProjectRef,
  kind: Str(),
  kindLabel: NStr(),
  status: Str(),
  statusLabel: NStr(),
  appliedOn: Str(),
  decidedOn: NStr(),
  address: NStr(),
  amount: NMoney,
  eligibility: Open({ householdSize: Nullable(Type.Number()), noLocalHousing: Nullable(Type.Boolean()), yearsInCity: Nullable(Type.Number()) }),
  honours: NStr(),
  priority: Type.Boolean({ description: '有荣誉称号者优先' }),
  office: NStr(),
  source: Source,
}, '住房保障记录');
export const CareRecord = Open({
  ...Person,
  project: ProjectRef,
  kind: Str(),
  kindLabel: NStr(),
  memberName: NStr(),
  relation: NStr(),
  status: Str(),
  statusLabel: NStr(),
  office: Str(),
  openedOn: Str(),
  closedOn: NStr(),
  caseRef: NStr(),
  note: NStr(),
  source: Source,
}, '关爱服务记录');

const Share = Open({ workers: Int(), certified: Int(), share: NStr('持证率，四位小数') });
export const CertifiedShare = Open(
  { project: Open({ id: Int(), code: Str(), name: Str() }), asOf: Str(), total: Share, trades: Type.Array(Open({ trade: Str(), workers: Int(), certified: Int(), share: NStr() })) },
  '项目各工种持证工人占比',
);
const Rate = { numerator: Int(), denominator: Int(), rate: NStr('覆盖率，四位小数；分母为 0 时为 null') };
export const InjuryCoverage = Open(
  {
    asOf: Str(),
    held: Type.Boolean({ description: '是否已导入社保登记（否则覆盖率未知）' }),
    city: Open(Rate),
    counties: Type.Array(Open({ county: Str(), ...Rate })),
    employers: Type.Array(Open({ uscc: Str(), name: Str(), ...Rate })),
  },
  '工伤保险覆盖率',
);
export const WorkerFull = Open(
  {
    idNumber: Str('身份证号（遮蔽）'),
    name: NStr(),
    asOf: Str(),
    storedAsOf: NStr('所用的已保存预警日期'),
    projects: List(Open({ rosterEntryId: Int(), project: Open({ id: Int(), code: Str(), name: Str() }) }), '各项目的花名册记录'),
    wageMonths: List(Any('一个工资月'), '各月工资台账'),
    openFlags: List(Open({ id: Int(), code: Str(), severity: Str(), projectCode: Str(), month: NStr(), amount: NMoney, sentence: Str() }), '未处理的预警'),
    cases: Open({ available: Type.Boolean(), items: Type.Array(Any('一个案件')) }, '欠薪案件'),
    training: Open({ records: Type.Array(TrainingRecord), skills: Type.Array(Any('一项证书')) }),
    insurance: Open({ held: Type.Boolean(), records: Type.Array(InsuranceRecord) }),
    housing: Type.Array(HousingRecord),
    care: Nullable(Type.Array(CareRecord)),
    restricted: List(Str(), '本角色不可读的部分（上面为 null）'),
  },
  '一名工人的全部情况',
);

// ——— 项目与工人 projects and workers ———

export const ProjectDetail = Open(
  {
    id: Int(),
    code: Str(),
    name: Str(),
    county: Any('区县'),
    status: Any('项目状态（在建、完工…）'),
    asOf: Str(),
    storedAsOf: NStr('所用的已保存预警日期'),
    owner: Any('建设单位'),
    contractor: Any('施工总承包单位'),
    contractAmount: Any('合同金额（元）'),
    startDate: Any('开工日期'),
    completionDate: Any('竣工日期'),
    payDay: Any('每月发薪日'),
    assessment: Any('风险评估及逐项说明（或 null）'),
    openFlags: Any('未处理预警按代码计数'),
    roster: List(Any('一条花名册记录（号码遮蔽）'), '花名册'),
    wageMonths: List(Any('一个工资月：应发、实发、欠薪'), '各月工资'),
    account: Any('农民工工资专用账户及流水汇总'),
    deposit: Any('工资保证金：应存金额及计算步骤'),
  },
  '项目详情',
);
export const WorkerView = Open(
  {
    idNumber: Str('身份证号（遮蔽）'),
    name: NStr(),
    asOf: Str(),
    storedAsOf: NStr('所用的已保存预警日期'),
    roster: List(Any('一条花名册记录（号码遮蔽）'), '各项目的花名册记录'),
    months: List(Any('一个工资月'), '各月工资'),
    openFlags: List(Open({ id: Int(), code: Str(), severity: Str(), projectCode: Str(), month: NStr(), amount: NMoney, sentence: Str() }), '未处理的预警'),
  },
  '一名工人在各项目的情况',
);
export const WorkerExport = Open(
  {
    idNumber: Str('完整身份证号'),
    exportedAt: Str(),
    exportedBy: Str(),
    reason: NStr(),
    tables: Any('表名 → 该工人的全部行（原样）'),
    rowCount: Int(),
  },
  '一名工人的全部个人信息（完整号码）',
);
