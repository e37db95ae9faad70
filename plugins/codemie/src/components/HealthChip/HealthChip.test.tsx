import { render, screen } from '@testing-library/react';
import { HealthLevel } from '@codemie-gcp/plugin-codemie-common';
import { HealthChip } from './HealthChip';

describe('HealthChip', () => {
  it.each<[HealthLevel, string]>([
    ['ok', 'ok'],
    ['warning', 'warning'],
    ['error', 'error'],
    ['pending', 'pending'],
    ['unknown', 'unknown'],
  ])(
    'renders %s with a visible word and an accessible name',
    (health, word) => {
      render(<HealthChip health={health} subject="MCP Connect" />);
      const chip = screen.getByRole('img', {
        name: `MCP Connect health: ${word}`,
      });
      expect(chip).toHaveTextContent(word);
      expect(chip).toHaveAttribute('data-health', health);
    },
  );

  it('names itself without a subject', () => {
    render(<HealthChip health="error" />);
    expect(
      screen.getByRole('img', { name: 'Health: error' }),
    ).toBeInTheDocument();
  });
});
