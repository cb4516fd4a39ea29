import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { SECRETS_DIR } from '../helm/helpers.js';
import { helm } from '../helm/markers.js';
import { IMAGE_UID, RESTRICTED_CONTAINER } from './lanyard-workload.js';

/**
 * `npm run migrate` as a Helm pre-install/pre-upgrade hook: the schema is migrated before any new
 * pod starts, and a failed migration fails the release instead of crash-looping the API.
 *
 * Hooks run before the release's own resources exist, so the Job uses nothing the chart creates:
 * the namespace's default ServiceAccount (without a token) and only the `database-url` key of
 * the existing Secret. Concurrent runs are safe: migrations take a PostgreSQL advisory lock.
 */
export class MigrationJob extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.migrations.enabled');

    const job = new kplus.Job(this, 'Job', {
      metadata: {
        name: chart.resourceName('migrate'),
        annotations: {
          'helm.sh/hook': 'pre-install,pre-upgrade',
          'helm.sh/hook-weight': '0',
          // Keep a failed Job for `kubectl logs`; replace it on the next attempt.
          'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
        },
      },
      podMetadata: { labels: chart.selectorLabels('migrations') },
      automountServiceAccountToken: false,
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: { ensureNonRoot: true, user: IMAGE_UID, group: IMAGE_UID, fsGroup: IMAGE_UID },
    });
    const container = job.addContainer({
      name: 'migrate',
      image: helm.quote(chart.include('image')),
      command: ['node'],
      args: ['dist/migrate.js'],
      securityContext: RESTRICTED_CONTAINER,
    });
    container.env.addVariable('DATABASE_URL_FILE', kplus.EnvValue.fromValue(`${SECRETS_DIR}/DATABASE_URL`));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));

    const podSpec = '/spec/template/spec';
    HelmChart.patch(ApiObject.of(job), 
      JsonPatch.add('/spec/backoffLimit', helm.value('.Values.migrations.backoffLimit')),
      JsonPatch.add('/spec/activeDeadlineSeconds', helm.value('.Values.migrations.activeDeadlineSeconds')),
      JsonPatch.add(`${podSpec}/volumes/-`, {
        name: 'secrets',
        secret: {
          secretName: helm.value('.Values.secrets.existingSecret'),
          defaultMode: 0o440,
          items: [{ key: helm.quote('.Values.secrets.files.DATABASE_URL'), path: 'DATABASE_URL' }],
        },
      }),
      JsonPatch.add(`${podSpec}/containers/0/volumeMounts/-`, { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true }),
      JsonPatch.replace(`${podSpec}/containers/0/resources`, helm.block('toYaml .Values.migrations.resources')),
      JsonPatch.replace(`${podSpec}/containers/0/imagePullPolicy`, helm.value('.Values.image.pullPolicy')),
      JsonPatch.add(`${podSpec}/imagePullSecrets`, helm.block('toYaml .Values.imagePullSecrets')),
      JsonPatch.add(`${podSpec}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    );
  }
}
