/** Opening hours in Brussels time: overnight intervals, DST changes, seasons that wrap the year. */
import { describe, expect, it } from 'vitest';
import { inSeason, openState, openTonight, type Hours } from '../../directory/opening-hours.js';
import { DateTime } from 'luxon';

const ALL = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as Hours['byday'];
const h = (o: Partial<Hours>): Hours => ({ byday: ALL, opens_at: null, closes_at: null, x_always_open: false, valid_from: null, valid_to: null, ...o });
/** An instant given as Brussels wall-clock time. */
const bxl = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Brussels' }).toJSDate();

describe('opening-hours', () => {
  describe('openState', () => {
    const night = [h({ opens_at: '20:00', closes_at: '08:00' })];

    it('should be open across midnight for an overnight shelter', () => {
      expect(openState(night, bxl('2027-01-14T23:30'))).toBe('open');
      expect(openState(night, bxl('2027-01-15T03:00'))).toBe('open');
      expect(openState(night, bxl('2027-01-15T07:59'))).toBe('open');
      expect(openState(night, bxl('2027-01-15T08:00'))).toBe('closed');
      expect(openState(night, bxl('2027-01-15T14:00'))).toBe('closed');
      expect(openState(night, bxl('2027-01-15T20:00'))).toBe('open');
    });

    it('should use the day the night began for overnight openings', () => {
      const fridayNight = [h({ byday: ['FR'], opens_at: '20:00', closes_at: '08:00' })];
      expect(openState(fridayNight, bxl('2027-01-16T02:00'))).toBe('open'); // Saturday 02:00, opened Friday
      expect(openState(fridayNight, bxl('2027-01-15T02:00'))).toBe('closed'); // Friday 02:00, Thursday not listed
    });

    it('should keep wall-clock hours when summer time starts (last Sunday of March)', () => {
      // 2027-03-28: clocks go from 02:00 to 03:00. 01:30 local = 00:30 UTC; 03:30 local = 01:30 UTC.
      const day = [h({ opens_at: '03:00', closes_at: '04:00' })];
      expect(openState(day, new Date('2027-03-28T01:30:00Z'))).toBe('open'); // 03:30 CEST
      expect(openState(day, new Date('2027-03-28T00:30:00Z'))).toBe('closed'); // 01:30 CET
      expect(openState(night, new Date('2027-03-28T05:59:00Z'))).toBe('open'); // 07:59 CEST
      expect(openState(night, new Date('2027-03-28T06:00:00Z'))).toBe('closed'); // 08:00 CEST
    });

    it('should keep wall-clock hours when summer time ends (last Sunday of October)', () => {
      // 2027-10-31: clocks go from 03:00 back to 02:00. 08:00 local is 07:00 UTC that day.
      expect(openState(night, new Date('2027-10-31T06:30:00Z'))).toBe('open'); // 07:30 CET
      expect(openState(night, new Date('2027-10-31T07:00:00Z'))).toBe('closed'); // 08:00 CET
      expect(openState(night, new Date('2027-10-30T05:30:00Z'))).toBe('open'); // 07:30 CEST the day before
      expect(openState(night, new Date('2027-10-30T06:00:00Z'))).toBe('closed'); // 08:00 CEST
    });

    it('should say unknown when no hours are on file', () => {
      expect(openState([], new Date())).toBe('unknown');
      expect(openState([h({ opens_at: '09:00' })], new Date())).toBe('unknown');
    });

    it('should treat always-open schedules as open on their days', () => {
      expect(openState([h({ x_always_open: true })], bxl('2027-07-01T04:00'))).toBe('open');
      expect(openState([h({ x_always_open: true, byday: ['MO'] })], bxl('2027-07-01T04:00'))).toBe('closed'); // a Thursday
    });

    it('should open a winter-plan shelter only in its season, across the new year', () => {
      const winter = [h({ x_always_open: true, valid_from: '--11-15', valid_to: '--03-31' })];
      expect(openState(winter, bxl('2027-01-10T12:00'))).toBe('open');
      expect(openState(winter, bxl('2027-12-01T12:00'))).toBe('open');
      expect(openState(winter, bxl('2027-07-01T12:00'))).toBe('closed');
      expect(openState(winter, bxl('2027-11-14T12:00'))).toBe('closed');
    });
  });

  describe('inSeason', () => {
    it('should bound full-date ranges', () => {
      const s = { valid_from: '2027-01-01', valid_to: '2027-01-31' };
      expect(inSeason(s, DateTime.fromISO('2027-01-31'))).toBe(true);
      expect(inSeason(s, DateTime.fromISO('2027-02-01'))).toBe(false);
    });
  });

  describe('openTonight', () => {
    it('should find evening and night openings, also after midnight', () => {
      const evening = [h({ opens_at: '18:00', closes_at: '21:00' })];
      expect(openTonight(evening, bxl('2027-01-14T10:00'))).toBe('open');
      const dayOnly = [h({ opens_at: '09:00', closes_at: '17:00' })];
      expect(openTonight(dayOnly, bxl('2027-01-14T10:00'))).toBe('closed');
      const lateNight = [h({ byday: ['TH'], opens_at: '23:00', closes_at: '06:00' })];
      expect(openTonight(lateNight, bxl('2027-01-15T02:00'))).toBe('open'); // Friday 02:00 belongs to Thursday night
    });
  });
});
