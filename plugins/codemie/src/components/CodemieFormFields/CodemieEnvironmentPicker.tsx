import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { MenuItem, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { CODEMIE_ENVIRONMENT_TYPE } from '@codemie-gcp/plugin-codemie-common';

/**
 * A CodeMie environment of the catalog, picked by its name, with its owner beside it so the user
 * sees whose it is before the form checks whether they may change it. The value is the entity
 * ref (`resource:<project>/<name>`), as the actions take it.
 */
export const CodemieEnvironmentPicker = (
  props: FieldExtensionComponentProps<string>,
) => {
  const {
    onChange,
    required,
    schema: { title, description },
    rawErrors,
    formData,
    idSchema,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const {
    value: entities,
    loading,
    error,
  } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Resource', 'spec.type': CODEMIE_ENVIRONMENT_TYPE },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.owner',
      ],
    });
    return items;
  }, [catalogApi]);
  const options = (entities ?? []).map(e => ({
    ref: stringifyEntityRef(e),
    label: `${e.metadata.namespace}/${e.metadata.name} — owned by ${String(e.spec?.owner ?? 'nobody')}`,
  }));
  // A value given by a link (the advice's Resize button) is shown even before the list loads.
  if (formData && !options.some(o => o.ref === formData)) {
    options.unshift({ ref: formData, label: formData });
  }
  return (
    <TextField
      id={idSchema?.$id}
      select
      label={title}
      helperText={
        error ? `The catalog could not be read: ${error.message}` : description
      }
      required={required}
      value={formData ?? ''}
      onChange={({ target: { value } }) => onChange(value || undefined)}
      margin="normal"
      fullWidth
      disabled={loading && !formData}
      error={(rawErrors?.length ?? 0) > 0 || !!error}
      FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
    >
      {options.map(o => (
        <MenuItem key={o.ref} value={o.ref}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
};
