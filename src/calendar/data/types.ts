/** A State Council General Office notice (国务院办公厅通知) that sets or changes a year's holiday schedule. */
export interface HolidayNotice {
  /** Full title, e.g. 国务院办公厅关于2024年部分节假日安排的通知 */
  title: string;
  /** Document number, e.g. 国办发明电〔2023〕7号 */
  number: string;
  /** YYYY-MM-DD date of the notice (the date it is signed and published under) */
  date: string;
}

export interface YearSchedule {
  year: number;
  /** The annual notice 国务院办公厅关于X年部分节假日安排的通知 */
  notice: HolidayNotice;
  /** Later notices that changed this year's schedule */
  amendments: HolidayNotice[];
  /**
   * Rest days of each holiday period (name in Chinese, as the notice words it: 元旦, 春节, 清明节, 劳动节,
   * 端午节, 中秋节, 国庆节, or a combined 国庆节、中秋节), INCLUDING weekend days that fall inside the period.
   * Dates may lie in late December of the previous year when the notice says so.
   */
  holidays: { name: string; dates: string[] }[];
  /** Weekend days made working days (补班 / 上班), tagged with the holiday they belong to */
  adjustedWorkdays: { name: string; dates: string[] }[];
}
