import { recordAudit, systemActor } from '../audit/record.js';
import type { Database } from '../db/client.js';
import { allDepartments } from '../departments/service.js';
import { convenienceItems } from './tables.js';

/**
 * The embedded default's 便民服务事项清单 of a provincial market-regulation bureau: each item with a
 * stable code and the department (by its code, src/departments/seed.ts) that answers complaints on it.
 */
export const BUREAU_CONVENIENCE_ITEMS: { code: string; name: string; department: string }[] = [
  { code: 'business-licence', name: '营业执照办理咨询', department: 'registration' },
  { code: 'enterprise-name', name: '企业名称自主申报', department: 'registration' },
  { code: 'registration-change', name: '企业变更、注销登记', department: 'registration' },
  { code: 'e-licence', name: '电子营业执照下载和使用', department: 'registration' },
  { code: 'annual-report', name: '企业年度报告公示', department: 'credit' },
  { code: 'credit-repair', name: '移出经营异常名录（信用修复）', department: 'credit' },
  { code: 'food-business-licence', name: '食品经营许可', department: 'food-business' },
  { code: 'food-production-licence', name: '食品生产许可', department: 'food-production' },
  { code: 'equipment-registration', name: '特种设备使用登记', department: 'special-equipment' },
  { code: 'equipment-operator', name: '特种设备作业人员资格认定', department: 'special-equipment' },
  { code: 'metrology-verification', name: '计量器具强制检定', department: 'metrology' },
  { code: 'metrology-standard', name: '计量标准考核', department: 'metrology' },
  { code: 'product-licence', name: '工业产品生产许可证', department: 'product-quality' },
  { code: 'testing-accreditation', name: '检验检测机构资质认定', department: 'certification' },
  { code: '12315-progress', name: '12315投诉举报办理进度查询', department: 'consumer' },
  { code: '12315-mediation', name: '12315消费纠纷在线调解', department: 'consumer' },
  { code: 'online-trade', name: '网络交易投诉举报', department: 'network-trade' },
  { code: 'price-complaint', name: '价格投诉举报', department: 'pricing' },
  { code: 'trademark-patent', name: '商标注册和专利申请咨询', department: 'ip' },
];

/**
 * Inserts the items the list does not have yet (by code), each with an audit row; never renames,
 * moves or reactivates an item an administrator changed, so running it at every start is safe.
 * Items whose department is missing are skipped.
 */
export async function seedConvenienceItems(db: Database): Promise<number> {
  const ids = new Map((await allDepartments(db)).map((d) => [d.code, d.id]));
  const rows = BUREAU_CONVENIENCE_ITEMS.filter((i) => ids.has(i.department)).map((i) => ({
    code: i.code,
    name: i.name,
    departmentId: ids.get(i.department)!,
  }));
  if (rows.length === 0) return 0;
  return db.transaction(async (tx) => {
    const created = await tx.insert(convenienceItems).values(rows).onConflictDoNothing({ target: convenienceItems.code }).returning();
    for (const item of created) {
      await recordAudit(tx, systemActor('seed'), {
        action: 'convenience_item.create',
        recordType: 'convenience_item',
        recordId: item.id,
        after: { code: item.code, name: item.name, departmentId: item.departmentId, active: item.active },
      });
    }
    return created.length;
  });
}
