import { useEffect, useState } from 'react';
import {
  Box,
  IconButton,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';
import CheckIcon from '@material-ui/icons/Check';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';

const useStyles = makeStyles(theme => ({
  box: {
    display: 'flex',
    alignItems: 'flex-start',
    backgroundColor: theme.palette.action.hover,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    paddingLeft: theme.spacing(1),
  },
  code: {
    flex: 1,
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    padding: theme.spacing(1, 0),
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    color: theme.palette.text.primary,
  },
}));

export interface CopyableCommandProps {
  /** What the command does: "Get cluster credentials". */
  label: string;
  command: string;
}

/** A shell command in monospace with a copy button named after what it does. */
export const CopyableCommand = ({ label, command }: CopyableCommandProps) => {
  const classes = useStyles();
  const [copied, setCopied] = useState(false);
  const [, copyFallback] = useCopyToClipboard();

  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(command);
      } else {
        copyFallback(command);
      }
      setCopied(true);
    } catch {
      copyFallback(command);
      setCopied(true);
    }
  };

  return (
    <Box mb={1}>
      <Typography variant="caption" color="textSecondary" component="div">
        {label}
      </Typography>
      <div className={classes.box}>
        <code className={classes.code}>{command}</code>
        <Tooltip title={copied ? 'Copied' : 'Copy to clipboard'}>
          <IconButton size="small" aria-label={`Copy: ${label}`} onClick={copy}>
            {copied ? (
              <CheckIcon fontSize="small" />
            ) : (
              <FileCopyOutlinedIcon fontSize="small" />
            )}
          </IconButton>
        </Tooltip>
      </div>
      <span role="status" style={{ position: 'absolute', left: -10000 }}>
        {copied ? `${label} copied` : ''}
      </span>
    </Box>
  );
};
