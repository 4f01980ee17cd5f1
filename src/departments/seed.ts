import type { Executor } from '../db/client.js';
import { departments } from './tables.js';

type Kind = (typeof departments.$inferInsert)['kind'];

/** The bureau's usual departments; codes are stable (demo usernames derive from them). */
export const BUREAU_DEPARTMENTS: { code: string; name: string; kind: Kind }[] = [
  { code: 'office', name: '办公室', kind: 'general_office' },
  { code: 'service-center', name: '行政服务中心', kind: 'service_center' },
  { code: 'publicity', name: '应急宣传处', kind: 'publicity_office' },
  { code: 'it', name: '科技和信息化处', kind: 'department' },
  { code: 'registration', name: '登记注册局', kind: 'department' },
  { code: 'credit', name: '信用监督管理处', kind: 'department' },
  { code: 'enforcement', name: '执法稽查局', kind: 'department' },
  { code: 'food-safety', name: '食品安全协调处', kind: 'department' },
  { code: 'food-production', name: '食品生产安全监督管理处', kind: 'department' },
  { code: 'food-business', name: '食品经营安全监督管理处', kind: 'department' },
  { code: 'product-quality', name: '产品质量安全监督管理处', kind: 'department' },
  { code: 'special-equipment', name: '特种设备安全监察处', kind: 'department' },
  { code: 'metrology', name: '计量处', kind: 'department' },
  { code: 'standards', name: '标准化处', kind: 'department' },
  { code: 'pricing', name: '价格监督检查和反不正当竞争处', kind: 'department' },
  { code: 'advertising', name: '广告监督管理处', kind: 'department' },
  { code: 'consumer', name: '消费者权益保护处', kind: 'department' },
  { code: 'network-trade', name: '网络交易监督管理处', kind: 'department' },
  { code: 'certification', name: '认证监督管理处', kind: 'department' },
  { code: 'ip', name: '知识产权保护处', kind: 'department' },
];

/** Inserts missing departments; never renames or reactivates what an administrator changed. */
export async function seedDepartments(db: Executor): Promise<void> {
  await db
    .insert(departments)
    .values(BUREAU_DEPARTMENTS.map((d, i) => ({ ...d, sortOrder: i + 1 })))
    .onConflictDoNothing({ target: departments.code });
}
