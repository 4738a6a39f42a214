/**
 * 报送门户的答复形状 — the schemas the portal's routes and the bureau's warning and submission routes share:
 * a stored file (never its bytes), a signed wage table, a contractor's answer to a warning, and a warning as
 * its contractor sees it (no worker's name or number).
 */
import { Type } from 'typebox';
import { Nullable } from '../schemas.ts';

/** A stored file as listed (never its bytes): download it at `href`. */
export const StoredFile = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  mediaType: Type.String({ description: 'application/pdf | image/png | image/jpeg（按文件内容判断）' }),
  size: Type.Integer({ description: '字节数' }),
  sha256: Type.String(),
  uploadedAt: Type.String(),
  submitter: Type.String(),
  href: Type.String({ description: '下载地址（下载记入审计日志）' }),
});

export const Confirmation = Type.Object(
  {
    id: Type.Integer(),
    project: Type.Object({ code: Type.String(), name: Type.String() }),
    month: Type.String({ description: '工资所属月份' }),
    batchId: Type.Integer({ description: '该月被接收的工资表批次（签字确认随批次保存）' }),
    submissionId: Nullable(Type.Integer({ description: '该批次的报送（住建局自行导入的批次为 null）' })),
    uscc: Type.String(),
    submitter: Type.String(),
    attachedAt: Type.String(),
    file: StoredFile,
  },
  { description: '工资表签字确认（本人签字确认的扫描件）' },
);

export const WarningResponse = Type.Object(
  {
    id: Type.Integer(),
    key: Type.String({ description: '预警编号' }),
    action: Type.String({ description: 'paid 已支付 | rectified 已整改 | explained 情况说明' }),
    actionName: Type.String(),
    text: Type.String({ description: '做了什么（已遮蔽）' }),
    respondedOn: Type.String(),
    respondedAt: Type.String(),
    submitter: Type.String(),
    uscc: Type.String(),
    unitName: Nullable(Type.String()),
    status: Type.String({ description: 'submitted 待核验 | returned 已退回 | accepted 已采纳（已销号）' }),
    statusName: Type.String(),
    reviewedBy: Nullable(Type.String()),
    reviewedAt: Nullable(Type.String()),
    reviewReason: Nullable(Type.String({ description: '退回或销号的理由' })),
    files: Type.Array(StoredFile, { description: '凭证' }),
  },
  { description: '施工单位对预警的答复' },
);

export const PortalWarning = Type.Object(
  {
    key: Type.String(),
    level: Nullable(Type.String({ description: 'red | orange | yellow（问题已不再出现时为 null）' })),
    levelName: Nullable(Type.String()),
    problem: Type.String(),
    problemName: Type.String(),
    month: Nullable(Type.String()),
    project: Type.Object({ code: Type.String(), name: Type.String() }),
    reasons: Type.Array(Type.String(), { description: '定级理由' }),
    issues: Type.Array(Type.String(), { description: '问题（所含预警的名称）' }),
    workers: Type.Array(
      Type.Object({
        name: Type.String(),
        idNumber: Type.String({ description: '身份证号（已遮蔽）' }),
        items: Type.Array(Type.Object({ issue: Type.String(), month: Nullable(Type.String()), amount: Nullable(Type.String({ description: '金额（元，两位小数）' })) })),
      }),
      { description: '涉及的工人：总承包单位看到项目的全部，用工单位只看到本单位的工人' },
    ),
    workersInArrears: Type.Integer(),
    arrears: Type.String({ description: '欠薪合计（元，两位小数）' }),
    oldestDueDate: Nullable(Type.String()),
    overdueDays: Type.Integer(),
    present: Type.Boolean({ description: '评估日的数据是否仍显示该问题' }),
    asOf: Nullable(Type.String()),
    rectification: Nullable(
      Type.Object({
        state: Type.String({ description: 'rectifying 整改中 / overdue 逾期未整改 / verified 已整改待销号 / closed 已销号' }),
        stateName: Type.String(),
        assignee: Type.String({ description: '经办劳动保障监察员' }),
        assignedOn: Type.String(),
        deadline: Type.String({ description: '整改期限' }),
        overdueDays: Type.Integer(),
        closedOn: Nullable(Type.String()),
      }),
    ),
    canRespond: Type.Boolean({ description: '可以答复（已下达整改期限且未销号）' }),
    responses: Type.Array(WarningResponse, { description: '本单位的答复' }),
  },
  { description: '本单位项目的预警（身份证号已遮蔽；用工单位只看到本单位的工人）' },
);

