import { act, fireEvent, render, screen } from '@testing-library/react';
import { CopyableCommand } from './CopyableCommand';

describe('CopyableCommand', () => {
  it('shows the command and copies it with a named button', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    const command =
      'gcloud container clusters get-credentials codemie-demo --location europe-west4';
    render(
      <CopyableCommand label="Get cluster credentials" command={command} />,
    );

    expect(screen.getByText(command)).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', { name: 'Copy: Get cluster credentials' }),
      );
    });
    expect(writeText).toHaveBeenCalledWith(command);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Get cluster credentials copied',
    );
  });
});
