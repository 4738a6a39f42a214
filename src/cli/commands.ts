/**
 * What each `huxin` command accepts: its positional arguments, its options (strictly: anything else is an
 * error, exit 2) and its help text in Chinese. The parser (args.ts) and `--help` read this table, so a
 * command's usage and what it accepts cannot drift apart. Loading a command's code is separate (cli.ts):
 * `--help`, `--version` and a usage error load nothing, open no database and change nothing.
 */

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** the value's placeholder in the help text, e.g. YYYY-MM-DD */
  readonly value?: string;
  readonly help: string;
  /** shown without brackets in the synopsis (the command itself says so when it is missing) */
  readonly required?: true;
}

export interface CommandSpec {
  /** one line for `huxin --help` */
  readonly summary: string;
  /** positional arguments (after the command and subcommand words), e.g. ['<类型>', '<文件>']; `[x]` optional */
  readonly args?: readonly string[];
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** more lines for `huxin <command> --help` */
  readonly details?: string;
  /** `huxin case intake …`: the first positional picks one of these, each with its own arguments and options */
  readonly subcommands?: Readonly<Record<string, CommandSpec>>;
}

const asOf = (fallback: string): OptionSpec => ({ type: 'string', value: 'YYYY-MM-DD', help: `日期（默认：${fallback}）` });
const YESTERDAY = '昨天，Asia/Shanghai 时区的最后一个完整日';
const TODAY = '今天，Asia/Shanghai';

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  db: { type: 'string', value: 'PATH', help: '数据库文件或 postgres:// 地址（默认：HUXIN_DB，否则 ./data/huxin.db）' },
  help: { type: 'boolean', help: '显示本帮助，不执行命令' },
};

export const COMMAND_SPECS: Readonly<Record<string, CommandSpec>> = {
  import: {
    summary: '导入文件（projects|roster|payroll|payments|account_transactions|deposits|training|insurance|housing|care）',
    args: ['<类型>', '<文件>'],
    details: '文件全部正确才写入；有问题时逐行列出（line N, column C: 原因），退出码 1，不写入任何数据。',
  },
  report: {
    summary: '重算某日并生成欠薪报告（json 输出到屏幕，或 --out 文件）',
    options: {
      'as-of': asOf(YESTERDAY),
      format: { type: 'string', value: 'json|csv|html|xlsx', help: '格式（默认 json；csv 需要 --out 目录，每张表一个文件，另附 report.xlsx；xlsx 需要 --out 文件）' },
      out: { type: 'string', value: 'PATH', help: '写入文件（csv：目录）而不是屏幕' },
    },
    details: '与夜间任务相同：重算该日的预警，保存报告，然后输出。',
  },
  recompute: {
    summary: '重算全市并保存某日的预警',
    options: {
      'as-of': asOf(YESTERDAY),
      full: { type: 'boolean', help: '重算每个项目（默认只算结果可能变化的项目）' },
    },
  },
  serve: {
    summary: '启动服务（npm start 运行的就是它；HOST、PORT 环境变量）',
    details: '数据库为空时载入演示城市；按 HUXIN_REPORT_CRON 安排夜间报告，写入 HUXIN_REPORTS_DIR。',
  },
  nightly: {
    summary: '夜间任务的一天：重算、保存，并把报告文件写入 reports/日期/',
    options: {
      'as-of': asOf(YESTERDAY),
      'reports-dir': { type: 'string', value: 'DIR', help: '报告目录（默认：HUXIN_REPORTS_DIR，否则 ./reports）' },
    },
  },
  backup: {
    summary: '在线备份数据库',
    args: ['<备份文件>'],
    options: { force: { type: 'boolean', help: '覆盖已存在的备份文件' } },
  },
  restore: {
    summary: '检查备份并恢复为数据库',
    args: ['<备份文件>'],
    options: { force: { type: 'boolean', help: '覆盖有数据的数据库（先另存一份）' } },
  },
  db: {
    summary: '数据库：把一个数据库的全部数据复制到 --db 指定的空数据库（如城市的 SQLite 文件迁入省级 PostgreSQL）',
    subcommands: {
      copy: {
        summary: '复制全部数据表到 --db（目标须为空；编号保持不变；失败时目标保持为空）',
        args: ['<来源>'],
        details: '来源与目标都可以是 SQLite 文件或 postgres:// 地址；两者先升级到本版本的数据库结构。',
      },
    },
  },
  worker: {
    summary: '一名工人的个人信息：导出（审计）或删除保存期已满的部分；night：夜间评估工作进程（PostgreSQL）',
    subcommands: {
      night: {
        summary: '夜间评估工作进程：认领当晚的分块、评估并暂存结果（PostgreSQL；可在多台机器上同时运行多个）',
        options: {
          once: { type: 'boolean', help: '没有可认领的分块时退出（默认一直等待新的夜间评估）' },
          poll: { type: 'string', value: '秒', help: '没有工作时多久再查看一次（默认 2 秒）' },
        },
        details:
          'huxin recompute 或夜间任务规划当晚并分块、自己也参与评估，所有分块完成后在一个事务内写入；工作进程被终止时，它手上的分块自动交给其他进程。SQLite 数据库的夜间评估只在一个进程内完成。',
      },
      export: {
        summary: '导出一名工人的全部个人信息（完整号码，文件权限 0600，记审计）',
        args: ['<身份证号>'],
        options: {
          out: { type: 'string', value: 'FILE|-', help: '写入的文件（- 输出到屏幕）', required: true },
          reason: { type: 'string', value: '原因', help: '导出原因（记入审计）' },
        },
      },
      erase: {
        summary: '删除保存期已满项目上的个人信息（不加 --confirm 只列出）',
        args: ['<身份证号>'],
        options: {
          reason: { type: 'string', value: '决定文号', help: '删除的决定依据（--confirm 时必填）' },
          confirm: { type: 'boolean', help: '确认删除' },
        },
      },
    },
  },
  token: {
    summary: '访问令牌：签发、列出、吊销',
    subcommands: {
      create: {
        summary: '签发令牌（只显示这一次）',
        options: {
          role: { type: 'string', value: '角色', help: 'importer|inspector|supervisor|viewer', required: true },
          name: { type: 'string', value: '使用人', help: '使用人姓名', required: true },
          expires: { type: 'string', value: 'YYYY-MM-DD', help: '有效期至（默认长期有效）' },
          reason: { type: 'string', value: '说明', help: '签发说明（记入审计）' },
        },
      },
      list: { summary: '列出全部令牌' },
      revoke: {
        summary: '吊销令牌',
        args: ['<编号>'],
        options: { reason: { type: 'string', value: '说明', help: '吊销原因（记入审计）' } },
      },
    },
  },
  case: {
    summary: '欠薪案件：登记、列表、查看、转阶段、逾期、证据包',
    subcommands: {
      intake: {
        summary: '登记案件（关联欠薪预警，自动分流）',
        options: {
          findings: { type: 'string', value: 'ID,ID…', help: '预警编号，逗号分隔', required: true },
          reason: { type: 'string', value: 'R', help: '登记理由', required: true },
          'filed-on': asOf(TODAY),
        },
      },
      list: {
        summary: '欠薪案件列表（阶段、金额、期限）',
        options: { 'as-of': asOf(TODAY), stage: { type: 'string', value: 'STAGE', help: '只列该阶段' } },
      },
      show: { summary: '一个案件（JSON，个人号码遮蔽）', args: ['<编号>'], options: { 'as-of': asOf(TODAY) } },
      transition: {
        summary: '转入下一阶段（仅法定转换）',
        args: ['<编号>'],
        options: {
          to: { type: 'string', value: 'STAGE', help: '目标阶段', required: true },
          reason: { type: 'string', value: 'R', help: '理由', required: true },
          on: asOf(TODAY),
          'performance-days': { type: 'string', value: 'N', help: '转入裁决/判决时：履行期间天数（申请执行期限自其最后一日起算）' },
          'performance-due': { type: 'string', value: 'YYYY-MM-DD', help: '转入裁决/判决时：履行期间的最后一日（与 --performance-days 二选一）' },
        },
      },
      overdue: { summary: '超过法定期限的案件', options: { 'as-of': asOf(TODAY) } },
      pack: {
        summary: '证据包（--full 显示完整号码，记审计）',
        args: ['<编号>'],
        options: {
          'as-of': asOf(TODAY),
          format: { type: 'string', value: 'json|html', help: '格式（默认 json）' },
          out: { type: 'string', value: 'PATH', help: '写入文件而不是屏幕' },
          full: { type: 'boolean', help: '显示完整号码（记审计）' },
          reason: { type: 'string', value: 'R', help: '查看原因（记入审计）' },
        },
      },
    },
  },
  notices: {
    summary: '通知：发送到期的通知（邮件、短信），列出发件箱，登记监察员的联系方式',
    subcommands: {
      send: {
        summary: '发送到期的通知：每条试一次，失败的按退避时间稍后重试，达到最多次数后放弃',
        options: { limit: { type: 'string', value: 'N', help: '本次最多发送多少条（默认 500）' } },
        details: '发送通道由环境变量配置：HUXIN_SMTP_URL（或 HUXIN_SMTP_HOST 等）与 HUXIN_SMTP_FROM，HUXIN_SMS_URL；见 README“通知”。未配置的通道不发送，通知保持待发送。',
      },
      list: {
        summary: '列出发件箱（最新的在前）',
        options: {
          state: { type: 'string', value: 'pending|sent|failed|gave_up', help: '只列该状态' },
          project: { type: 'string', value: '项目编号', help: '只列该项目' },
          limit: { type: 'string', value: 'N', help: '最多列出多少条（默认 50）' },
        },
      },
      contact: {
        summary: '登记或更新一名监察员接收通知的邮箱、手机（姓名与其令牌的使用人一致）',
        args: ['[姓名]'],
        options: {
          email: { type: 'string', value: 'EMAIL', help: '电子邮箱' },
          phone: { type: 'string', value: '手机号', help: '以 1 开头的 11 位手机号' },
        },
        details: '预警分派给该监察员时，通知发到这里登记的邮箱和手机。两项都不填则列出已登记的联系方式。',
      },
    },
  },
  params: {
    summary: '法定参数：导入新的取值（年度放假安排、最低工资调整、地方设置），列出某日生效的取值及出处',
    subcommands: {
      import: {
        summary: '导入参数文件（YAML 或 JSON）：校验、注明出处、记录导入人，下次重算生效',
        args: ['<文件>'],
        details: '文件全部正确才写入；有问题时逐行列出（文件 第N行: 原因），退出码 1，不写入任何数据。格式见 docs/RULES-CORE.md。',
      },
      list: {
        summary: '列出某日生效的每个参数及其出处',
        options: { 'as-of': asOf(TODAY), json: { type: 'boolean', help: '输出 JSON' } },
      },
    },
  },
  blacklist: {
    summary: '失信名单程序：列表、查看、变化',
    subcommands: {
      list: { summary: '名单程序列表', options: { 'as-of': asOf(TODAY) } },
      show: { summary: '一个名单程序（JSON）', args: ['<编号>'], options: { 'as-of': asOf(TODAY) } },
      changes: {
        summary: '某段时间内的列入、移出',
        options: {
          from: { type: 'string', value: 'YYYY-MM-DD', help: '起始日', required: true },
          to: { type: 'string', value: 'YYYY-MM-DD', help: '截止日', required: true },
        },
      },
    },
  },
};

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries({ ...options, ...GLOBAL_OPTIONS }).map(([name, o]) => [`${name === 'help' ? '-h, ' : ''}--${name}${o.value ? ` ${o.value}` : ''}`, o.help] as const);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`);
}

function synopsis(words: string, spec: CommandSpec): string {
  const opts = Object.entries(spec.options ?? {}).map(([name, o]) => {
    const text = `--${name}${o.value ? ` ${o.value}` : ''}`;
    return o.required ? text : `[${text}]`;
  });
  return ['huxin', words, ...(spec.args ?? []), ...opts, '[--db PATH]'].join(' ');
}

/** `huxin --help` */
export function mainHelp(version: string): string {
  const names = Object.keys(COMMAND_SPECS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `护薪 Huxin ${version} — 农民工工资支付合规与欠薪执法引擎`,
    '',
    '用法: huxin <命令> [参数] [选项]',
    '',
    '命令:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMAND_SPECS[n]!.summary}`),
    '',
    '选项:',
    '  -h, --help     显示帮助（huxin <命令> --help：该命令的用法）',
    '  -V, --version  显示版本',
    '',
    '每个命令都接受 --db PATH（SQLite 文件或 postgres:// 地址；默认：HUXIN_DB，否则 ./data/huxin.db）。退出码：0 成功，1 失败，2 用法错误。',
    '',
  ].join('\n');
}

/** `huxin <command> --help`, `huxin <command> <sub> --help` */
export function commandHelp(name: string, sub?: string, spec: CommandSpec = COMMAND_SPECS[name]!): string {
  const subSpec = sub ? spec.subcommands?.[sub] : undefined;
  if (subSpec) {
    return [`用法: ${synopsis(`${name} ${sub}`, subSpec)}`, '', subSpec.summary, ...(subSpec.details ? [subSpec.details] : []), '', '选项:', ...optionLines(subSpec.options ?? {}), ''].join('\n');
  }
  if (spec.subcommands) {
    const subs = Object.entries(spec.subcommands);
    return [
      `用法: huxin ${name} <子命令> [参数] [选项]`,
      '',
      spec.summary,
      '',
      '子命令:',
      ...subs.map(([s, sp]) => `  ${synopsis(`${name} ${s}`, sp)}\n      ${sp.summary}`),
      '',
      `huxin ${name} <子命令> --help 显示该子命令的选项。`,
      '',
    ].join('\n');
  }
  return [`用法: ${synopsis(name, spec)}`, '', spec.summary, ...(spec.details ? [spec.details] : []), '', '选项:', ...optionLines(spec.options ?? {}), ''].join('\n');
}
