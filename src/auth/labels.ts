import type { Role } from './roles.js';

/** What each role is called on the pages. */
export const ROLE_LABELS: Record<Role, string> = {
  handler: '经办人',
  dept_leader: '处室负责人',
  office: '办公室',
  service_center: '行政服务中心',
  publicity: '应急宣传处',
  bureau_leader: '局领导',
  admin: '管理员',
};
