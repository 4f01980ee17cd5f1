// The 1,000,000-letter data set of the list and digest benchmarks, generated inside PostgreSQL:
// one INSERT … SELECT generate_series for the letters, one INSERT … SELECT for their timeline events.
import { eq, sql as q } from 'drizzle-orm';
import postgres from 'postgres';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { createDatabase } from '../../src/db/client.js';
import { departments } from '../../src/departments/tables.js';
import { seedDepartments } from '../../src/departments/seed.js';
import { hashSecret } from '../../src/mailbox/codes.js';

/** Every seeded letter answers to this access code (the writer's lookup benchmark needs one). */
export const BENCH_ACCESS_CODE = 'BENCH23456';
export const BENCH_PASSWORD = 'Bench-Passw0rd!';
export const LETTERS = Number(process.env.BENCH_LETTERS ?? 1_000_000);

/** The 20 departments of src/departments/seed.ts plus 20 more, 40 in all. */
const EXTRA_DEPARTMENTS = [
  ['drug-safety', '药品安全监督管理处'],
  ['medical-devices', '医疗器械监督管理处'],
  ['cosmetics', '化妆品监督管理处'],
  ['antitrust', '反垄断处'],
  ['market-order', '市场秩序处'],
  ['quality-development', '质量发展处'],
  ['testing', '检验检测处'],
  ['special-foods', '特殊食品安全监督管理处'],
  ['agri-products', '食用农产品安全监督管理处'],
  ['catering', '餐饮服务安全监督管理处'],
  ['standards-innovation', '标准创新管理处'],
  ['legal', '法规处'],
  ['finance', '财务处'],
  ['personnel', '人事处'],
  ['party', '机关党委'],
  ['branch-hz', '杭州分局'],
  ['branch-nb', '宁波分局'],
  ['branch-wz', '温州分局'],
  ['licensing', '行政审批处'],
  ['complaints-center', '投诉举报中心'],
] as const;

/** Busiest first: letters pick department i (0-based) with probability ∝ the density of floor(40·u²). */
const BY_VOLUME = [
  'consumer',
  'food-business',
  'network-trade',
  'pricing',
  'advertising',
  'product-quality',
  'registration',
  'complaints-center',
  'catering',
  'drug-safety',
  'special-equipment',
  'metrology',
  'food-production',
  'enforcement',
  'cosmetics',
  'medical-devices',
  'credit',
  'agri-products',
  'special-foods',
  'market-order',
  'ip',
  'certification',
  'standards',
  'food-safety',
  'licensing',
  'branch-hz',
  'branch-nb',
  'branch-wz',
  'testing',
  'quality-development',
  'antitrust',
  'standards-innovation',
  'legal',
  'it',
  'finance',
  'personnel',
  'party',
  'publicity',
  'service-center',
  'office',
];

export interface Dataset {
  letters: number;
  /** Department ids, busiest first. */
  deptIds: number[];
  /** The China date of the last letter (the digest day). */
  lastDay: string;
}

export async function seedDepartmentsAndStaff(url: string): Promise<number[]> {
  const { db, close } = createDatabase(url, { max: 2 });
  try {
    await seedDepartments(db);
    await db
      .insert(departments)
      .values(
        EXTRA_DEPARTMENTS.map(([code, name], i) => ({
          code,
          name,
          kind: 'department' as const,
          sortOrder: 21 + i,
          notifyEmails: [`${code}@amr.example.gov.cn`],
        })),
      )
      .onConflictDoNothing({ target: departments.code });
    await db
      .update(departments)
      .set({ notifyEmails: q`array[${departments.code} || '@amr.example.gov.cn']` })
      .where(eq(departments.notifyEmails, []));
    await seedDemoAccounts(db, BENCH_PASSWORD);
    const rows = await db.select({ id: departments.id, code: departments.code }).from(departments);
    const byCode = new Map(rows.map((r) => [r.code, r.id]));
    const ids = BY_VOLUME.map((c) => byCode.get(c));
    if (ids.some((i) => i === undefined) || ids.length !== 40) throw new Error('department list out of date with src/departments/seed.ts');
    return ids as number[];
  } finally {
    await close();
  }
}

// Sentences and names for subjects and contents: a mix of common phrases (a search hits many rows)
// and generated names (rare trigrams), like real letters.
export const SENTENCES = [
  '本人于上月在该店购买商品，使用不到一周即出现质量问题。',
  '商家拒绝退货退款，客服电话一直无人接听。',
  '办理的预付卡在门店关闭后无法使用，余额约两千元。',
  '网购平台上的商品宣传与实际严重不符，涉嫌虚假宣传。',
  '餐馆后厨卫生条件很差，用餐后出现腹泻症状。',
  '超市销售过期食品，生产日期被重新粘贴。',
  '电梯多次困人，物业称年检合格但问题一直未解决。',
  '加油站计量不准，加油量明显少于显示数字。',
  '培训机构收费后停课，要求退还剩余学费遭拒。',
  '直播间销售的保健品宣称能治疗疾病，老人大量购买。',
  '外卖平台商家无营业执照，食品安全无法保障。',
  '房屋中介收取高额服务费，未明码标价。',
  '医美机构使用来源不明的注射产品，造成面部红肿。',
  '药店凭处方药违规销售，未核对处方。',
  '快递包装过度，商品价格中包含不合理费用。',
  '希望加强对农贸市场的日常巡查，规范摊位秩序。',
  '建议简化个体工商户注册流程，推行全程网上办理。',
  '咨询食品经营许可证办理需要准备哪些材料。',
  '企业年报填报系统登录异常，请问如何处理。',
  '反映某小区燃气热水器存在安全隐患，多户居民担忧。',
  '商场促销活动先涨价后打折，价格欺诈明显。',
  '手机维修店更换非原装配件却按原装收费。',
  '儿童玩具有尖锐边角，产品无中文标识。',
  '请问商标注册被驳回后如何申请复审。',
  '反映某企业长期冒用他人商标生产销售产品。',
  '眼镜店验光设备未经检定，配镜度数不准。',
  '共享充电宝收费规则不透明，押金难以退回。',
  '二手车商隐瞒事故车辆情况，合同条款不公平。',
  '健身房转让后新老板不认旧会员卡。',
  '驾校收取额外考试费用，未在合同中注明。',
];
export const SUBJECTS = [
  '关于预付卡退费的投诉',
  '商品质量问题投诉',
  '食品安全问题反映',
  '虚假宣传举报',
  '价格欺诈投诉',
  '电梯安全隐患反映',
  '计量不准投诉',
  '关于营业执照办理的咨询',
  '网购纠纷投诉',
  '建议加强市场监管',
  '医美机构违规问题反映',
  '药品销售问题举报',
  '商标侵权举报',
  '培训机构退费投诉',
  '餐饮卫生问题投诉',
  '外卖食品安全问题',
  '广告违法问题举报',
  '特种设备安全问题反映',
  '知识产权保护建议',
  '企业登记咨询',
];
const SYLLABLES = '华盛鑫源泰恒达隆昌兴瑞丰祥和裕德福康宁安吉庆嘉信诚益通汇联创新宏远博凯正美佳乐天越金银铭轩雅';
const PLACES = [
  '西湖区',
  '上城区',
  '拱墅区',
  '滨江区',
  '萧山区',
  '余杭区',
  '鄞州区',
  '海曙区',
  '鹿城区',
  '瓯海区',
  '越城区',
  '柯桥区',
  '南湖区',
  '吴兴区',
  '婺城区',
  '椒江区',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';

const arr = (xs: readonly string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;
const pick = (xs: string, n = 1) =>
  Array.from({ length: n }, () => `substr('${xs}', 1 + floor(random() * ${[...xs].length})::int, 1)`).join(' || ');

/**
 * Seeds `LETTERS` letters over 40 departments and the 3 years up to now, and their events. Idempotent
 * per database: does nothing when the letters are already there (bench/run-all.ts seeds once).
 */
export async function seedDataset(url: string, log: (m: string) => void = console.log): Promise<Dataset> {
  const deptIds = await seedDepartmentsAndStaff(url);
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
  try {
    const [{ count }] = (await sql`select count(*)::int as count from letters`) as unknown as [{ count: number }];
    if (count < LETTERS) {
      if (count > 0) throw new Error(`letters has ${count} rows, expected 0 or ${LETTERS}`);
      await seedLetters(sql, deptIds, log);
    } else {
      log(`data set already seeded (${count.toLocaleString('en-US')} letters)`);
    }
    const [{ last }] =
      (await sql`select to_char(max(received_at) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as last from letters`) as unknown as [
        { last: string },
      ];
    return { letters: LETTERS, deptIds, lastDay: last };
  } finally {
    await sql.end();
  }
}

async function seedLetters(sql: postgres.Sql, deptIds: number[], log: (m: string) => void) {
  const t0 = Date.now();
  const step = (label: string, since: number) => log(`  ${label}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
  await sql`set maintenance_work_mem = '1GB'`;
  await sql`set max_parallel_maintenance_workers = 2`;
  // A bulk load: the data is consistent by construction, so foreign-key triggers are skipped (replica
  // mode), and the secondary indexes are dropped and rebuilt from their own definitions afterwards
  // (the same indexes as the migrations, built once instead of maintained row by row).
  await sql`set session_replication_role = replica`;
  const defs = (await sql`
    select indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename in ('letters', 'letter_events')
      and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))`) as unknown as {
    indexname: string;
    indexdef: string;
  }[];
  for (const d of defs) await sql.unsafe(`drop index "${d.indexname}"`);

  let t = Date.now();
  await sql`select setseed(0.20241001)`;
  const accessHash = hashSecret(BENCH_ACCESS_CODE);
  // One row per g: the receipt time walks the 3 years evenly (≈ 913 a day); the department is skewed
  // (the busiest gets ≈ 16%); recent letters are mostly open, older ones mostly answered, with a
  // backlog of ≈ 0.8% stuck open past their deadline; 8% were transferred, 1.5% were arbitrated with
  // an assisting department (visited ⊇ current ∪ assisting, as the app maintains it).
  await sql.unsafe(
    `
    insert into letters (id, tracking_no, access_code_hash, type, status, first_department_id, department_id, assisting_department_ids,
      visited_department_ids, transferred_from_department_id, writer_name, writer_phone, writer_email, subject, content, allow_publication,
      received_at, clock_started_at, limit_days, due_date, due_at, due_provisional, due_soon, overdue, answer, answered_at, closed_late,
      reject_reason_code, reject_reason, workflow_started_at, submit_ip, updated_at)
    select g, tracking_no, $1, type, status, first_dept, dept, assisting,
      (case when dept = first_dept then array[first_dept] else array[first_dept, dept] end) || assisting,
      case when dept <> first_dept then first_dept end,
      writer_name, writer_phone, case when g % 3 = 0 then 'w' || g || '@example.cn' end, subject, content, g % 4 <> 0,
      received_at, received_at, limit_days, due_date, due_at, false,
      case when status in ('processing', 'in_arbitration') then due_at - interval '2 days' < $3::timestamptz else coalesce(answered_at > due_at - interval '2 days', false) end,
      case when status in ('processing', 'in_arbitration') then due_at < $3::timestamptz else coalesce(answered_at > due_at, false) end,
      case when status = 'answered' then '您好，来信收悉。经核查，' || subject || '一事已责成相关单位整改，现将办理情况答复如下：' || content end,
      answered_at, case when status = 'answered' then answered_at > due_at end,
      case when status = 'rejected' then 'duplicate' end, case when status = 'rejected' then '重复来信，已合并办理' end,
      received_at + interval '1 second', '203.0.113.' || (g % 250), coalesce(answered_at, received_at + interval '1 second')
    from (
      select g, received_at, type, limit_days, first_dept, dept, assisting, due_date, due_at, tracking_no, writer_name, writer_phone, subject, content,
        status,
        case when status = 'answered' then least($3::timestamptz - random() * interval '2 hours', received_at + (due_at - received_at) * (0.1 + random() * 1.0)) end as answered_at
      from (
        select g, received_at, type, limit_days, first_dept, dept, assisting, due_date,
          ((due_date + 1)::timestamp at time zone 'Asia/Shanghai') - interval '1 millisecond' as due_at,
          to_char(received_at at time zone 'Asia/Shanghai', 'YYMMDD') || '-' ||
            substr(a, 1 + (g % 31)::int, 1) || substr(a, 1 + (g / 31 % 31)::int, 1) || substr(a, 1 + (g / 961 % 31)::int, 1) ||
            substr(a, 1 + (g / 29791 % 31)::int, 1) || substr(a, 1 + (g / 923521 % 31)::int, 1) as tracking_no,
          writer_name, writer_phone, subject, content,
          case
            when due_date >= ($3::timestamptz at time zone 'Asia/Shanghai')::date - 1 then
              case when u_status < 0.72 then 'processing' when u_status < 0.75 then 'in_arbitration' when u_status < 0.985 then 'answered' else 'rejected' end
            else
              case when u_status < 0.007 then 'processing' when u_status < 0.008 then 'in_arbitration' when u_status < 0.98 then 'answered' else 'rejected' end
          end::letter_status as status
        from (
          select g, '23456789ABCDEFGHJKMNPQRSTUVWXYZ' as a, received_at, type, limit_days, first_dept,
            case when random() < 0.08 then ($2::int[])[1 + floor(40 * power(random(), 2))::int] else first_dept end as dept,
            case when random() < 0.015 then array[($2::int[])[1 + floor(random() * 40)::int]] else '{}'::int[] end as assisting,
            (received_at at time zone 'Asia/Shanghai')::date + ceil(limit_days * 1.4)::int as due_date,
            random() as u_status,
            ${pick(SURNAMES)} || ${pick(GIVEN, 2)} as writer_name,
            '1' || (3 + floor(random() * 7))::int || lpad((floor(random() * 1e9))::bigint::text, 9, '0') as writer_phone,
            (${arr(SUBJECTS)})[1 + floor(random() * ${SUBJECTS.length})::int] as subject,
            (${arr(PLACES)})[1 + floor(random() * ${PLACES.length})::int] || ${pick(SYLLABLES, 2)} || (array['商贸有限公司','餐饮店','超市','科技有限公司','培训学校','药房','美容院','汽车服务有限公司'])[1 + floor(random() * 8)::int] || '：' ||
              (${arr(SENTENCES)})[1 + floor(random() * ${SENTENCES.length})::int] ||
              (${arr(SENTENCES)})[1 + floor(random() * ${SENTENCES.length})::int] ||
              (${arr(SENTENCES)})[1 + floor(random() * ${SENTENCES.length})::int] ||
              '涉及金额' || (100 + floor(random() * 20000))::int || '元，联系人' || ${pick(SURNAMES)} || '先生，地址' || (${arr(PLACES)})[1 + floor(random() * ${PLACES.length})::int] ||
              ${pick(SYLLABLES, 2)} || '路' || (1 + floor(random() * 300))::int || '号。' ||
              (${arr(SENTENCES)})[1 + floor(random() * ${SENTENCES.length})::int] || '请相关部门尽快调查处理，谢谢！' as content
          from (
            select g, $3::timestamptz - interval '3 years' + (interval '3 years') * ((g - 1)::float8 / $4) + random() * interval '20 minutes' as received_at,
              t.type, case t.type when 'inquiry' then 2 else 10 end as limit_days,
              ($2::int[])[1 + floor(40 * power(random(), 2))::int] as first_dept
            from generate_series(1, $4::int) g
            cross join lateral (select (case when random() < 0.45 then 'complaint' when random() < 0.55 then 'inquiry' when random() < 0.6 then 'suggestion' else 'report' end)::letter_type as type where g > 0) t
          ) s0
        ) s1
      ) s2
    ) s3`,
    [accessHash, deptIds, new Date().toISOString(), LETTERS],
  );
  step(`INSERT … SELECT generate_series: ${LETTERS.toLocaleString('en-US')} letters`, t);
  await sql`select setval(pg_get_serial_sequence('letters', 'id'), (select max(id) from letters))`;

  // Timeline events: received for all; transferred, arbitration, opinions, deadline flags and the
  // answer or rejection where the letter has them (≈ 2.1 events a letter).
  t = Date.now();
  await sql.unsafe(`
    insert into letter_events (letter_id, event_key, kind, is_public, department_id, to_department_id, text, at)
    select id, 'letter-' || id || ':received', 'received', true, first_department_id, null, null, received_at from letters
    union all
    select id, 'letter-' || id || ':bench:transferred', 'transferred', true, first_department_id, department_id, '应由其他处室牵头办理', received_at + interval '1 day'
      from letters where department_id <> first_department_id
    union all
    select id, 'letter-' || id || ':bench:escalated', 'escalated', true, department_id, null, '涉及多个处室', received_at + interval '2 days'
      from letters where status = 'in_arbitration' or cardinality(assisting_department_ids) > 0
    union all
    select id, 'letter-' || id || ':bench:arbitrated', 'arbitrated', true, department_id, department_id, '由承办处室牵头办理', received_at + interval '3 days'
      from letters where cardinality(assisting_department_ids) > 0
    union all
    select id, 'letter-' || id || ':bench:opinion', 'opinion', false, assisting_department_ids[1], null, '协办意见', received_at + interval '4 days'
      from letters where cardinality(assisting_department_ids) > 0 and id % 2 = 0
    union all
    select id, 'letter-' || id || ':overdue:bench', 'overdue', false, department_id, null, null, due_at from letters where overdue
    union all
    select id, 'letter-' || id || ':bench:answered', 'answered', true, department_id, null, answer, answered_at from letters where status = 'answered'
    union all
    select id, 'letter-' || id || ':bench:rejected', 'rejected', true, department_id, null, reject_reason, updated_at from letters where status = 'rejected'`);
  step('INSERT … SELECT events', t);
  await sql`select setval(pg_get_serial_sequence('letter_events', 'id'), (select max(id) from letter_events))`;

  t = Date.now();
  for (const d of defs) {
    const ti = Date.now();
    await sql.unsafe(d.indexdef);
    step(`rebuilt ${d.indexname}`, ti);
  }
  step('indexes rebuilt', t);
  await sql`set session_replication_role = origin`;
  t = Date.now();
  await sql`vacuum (analyze) letters`;
  await sql`vacuum (analyze) letter_events`;
  step('VACUUM ANALYZE', t);
  const stats = (await sql`
    select status::text, count(*)::int as n, count(*) filter (where overdue)::int as overdue from letters group by 1 order by 1`) as unknown as {
    status: string;
    n: number;
    overdue: number;
  }[];
  const [{ size }] = (await sql`select pg_size_pretty(pg_total_relation_size('letters')) as size`) as unknown as [{ size: string }];
  log(
    `  letters by status: ${stats.map((s) => `${s.status} ${s.n.toLocaleString('en-US')} (overdue ${s.overdue.toLocaleString('en-US')})`).join(', ')}; letters with indexes ${size}`,
  );
  step('seeding total', t0);
}
