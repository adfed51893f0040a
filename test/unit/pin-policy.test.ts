import { describe, expect, it } from 'vitest';
import { checkPin } from '../../src/core/pin-policy.js';

describe('checkPin', () => {
  it('accepts 4 to 8 digits that are neither repeated nor a straight run', () => {
    for (const pin of ['4721', '90210', '13579', '24681357', '7890', '0912', '1123']) expect(checkPin(pin)).toBeNull();
  });

  it('refuses anything but 4 to 8 ASCII digits', () => {
    for (const pin of ['', '123', '482', '123456789', '12a4', ' 4721', '4721 ', '٤٧٢١', '４７２１', '-4721', '47.21']) {
      expect(checkPin(pin)?.code).toBe('pin_format');
    }
  });

  it('refuses one digit repeated', () => {
    for (const pin of ['0000', '1111', '99999999']) expect(checkPin(pin)?.code).toBe('pin_repeated');
  });

  it('refuses straight ascending or descending sequences', () => {
    for (const pin of ['1234', '3456', '0123', '12345678', '98765', '4321', '9876', '76543210']) {
      expect(checkPin(pin)?.code).toBe('pin_sequence');
    }
  });

  it('has messages in both locales', () => {
    expect(checkPin('1234')?.message('fr')).toContain('1234');
  });
});
