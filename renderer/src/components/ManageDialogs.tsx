import type { PluginOverview } from '../../../shared/plugin-dto';
import { useManageStore, type PluginRef } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { CreatePluginDialog } from './CreatePluginDialog';
import { RegisterFunctionsDialog } from './RegisterFunctionsDialog';

function find(plugins: readonly PluginOverview[], ref: PluginRef | undefined) {
  return ref && plugins.find((plugin) => plugin.kind === ref.kind && plugin.name === ref.name);
}

/**
 * The Update and Register-functions dialogs, opened from a row's actions or the describe drawer through the
 * manage store. Each reads its plugin from the loaded list, so it closes by itself if the plugin goes away.
 */
export function ManageDialogs() {
  const plugins = usePluginsStore((state) => state.plugins);
  const load = usePluginsStore((state) => state.load);
  const { updating, updateFile, registering, askUpdate, askRegister } = useManageStore();
  const updated = find(plugins, updating);
  const registered = find(plugins, registering);
  return (
    <>
      <CreatePluginDialog
        kind={updated?.kind ?? 'portables'}
        opened={updated !== undefined}
        updating={updated}
        initialFile={updateFile}
        onClose={() => askUpdate(undefined)}
        onCreated={() => void load()}
      />
      <RegisterFunctionsDialog
        plugin={registered}
        plugins={plugins}
        onClose={() => askRegister(undefined)}
        onRegistered={() => void load()}
      />
    </>
  );
}
