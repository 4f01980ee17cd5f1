import type { YearSchedule } from './types.js';
import { schedule as y2020 } from './2020.js';
import { schedule as y2021 } from './2021.js';
import { schedule as y2022 } from './2022.js';
import { schedule as y2023 } from './2023.js';
import { schedule as y2024 } from './2024.js';
import { schedule as y2025 } from './2025.js';
import { schedule as y2026 } from './2026.js';

export type { HolidayNotice, YearSchedule } from './types.js';

/** Official schedules bundled with the application, in year order (2020–2026). */
export const bundledSchedules: YearSchedule[] = [y2020, y2021, y2022, y2023, y2024, y2025, y2026];
