import {
  App,
  Button,
  Card,
  Popconfirm,
  Space,
  Table,
  Tag,
  Upload,
  type UploadFile,
  type UploadProps,
} from 'antd';
import { useCallback, useContext, useEffect, useState } from 'react';
import { api } from '../api';
import { LabelsContext } from '../labels';
import { usePortalWords } from './words';

export interface Material {
  id: string;
  kind: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  href: string;
}
interface Requirement {
  kind: string;
  label: { zh: string; en: string };
  required: boolean;
  mediaTypes: string[];
  attached: number;
}
export interface MaterialsView {
  revision: number;
  materials: Material[];
  requirements: Requirement[];
  missing: { kind: string; label: { zh: string; en: string } }[];
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/ofd': 'OFD',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};
const ACCEPT: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/ofd': '.ofd',
  'image/jpeg': '.jpg,.jpeg',
  'image/png': '.png',
};

function csrfToken(): string {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('csrf='));
  return cookie ? decodeURIComponent(cookie.slice('csrf='.length)) : '';
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The materials the pinned policy asks for, kind by kind: upload (with a progress bar; the api
 * decides the type by the content's magic bytes), download, remove while draft or returned.
 */
export function Materials({
  applicationId,
  editable,
  onChange,
}: {
  applicationId: string;
  editable: boolean;
  onChange?: (view: MaterialsView) => void;
}) {
  const w = usePortalWords();
  const { locale } = useContext(LabelsContext);
  const { message } = App.useApp();
  const [view, setView] = useState<MaterialsView>();
  // The files on their way up, per kind: their progress bars. Finished ones join the table and
  // refused ones are explained in a message, so neither stays in the upload list.
  const [uploading, setUploading] = useState<Record<string, UploadFile[]>>({});

  const load = useCallback(async () => {
    const res = await api.GET('/v1/applications/{id}/materials', { params: { path: { id: applicationId } } });
    if (res.response.ok) {
      const next = res.data as unknown as MaterialsView;
      setView(next);
      onChange?.(next);
    }
  }, [applicationId, onChange]);
  useEffect(() => void load(), [load]);

  /** A refused upload in plain Chinese: size (413), type (415), or the api's own message. */
  function refusal(status: number, body: { message?: string } | undefined, requirement: Requirement) {
    if (status === 413) return w('tooLarge');
    if (status === 415)
      return w('wrongType', { types: requirement.mediaTypes.map((t) => TYPE_NAMES[t] ?? t).join('、') });
    return body?.message ?? w('uploadFailed');
  }

  async function remove(material: Material) {
    const res = await api.DELETE('/v1/applications/{id}/materials/{materialId}', {
      params: { path: { id: applicationId, materialId: material.id } },
    });
    if (!res.response.ok) {
      void message.error((res.error as { message?: string } | undefined)?.message ?? w('uploadFailed'));
      return;
    }
    await load();
  }

  function uploadProps(requirement: Requirement): UploadProps {
    return {
      name: 'file',
      action: `/v1/applications/${applicationId}/materials`,
      // `kind` goes before the file part: the api refuses an unknown kind before reading the file.
      data: { kind: requirement.kind },
      withCredentials: true,
      headers: { 'X-CSRF-Token': csrfToken(), 'Accept-Language': locale },
      accept: requirement.mediaTypes.map((t) => ACCEPT[t] ?? '').join(','),
      showUploadList: { showRemoveIcon: false },
      fileList: uploading[requirement.kind] ?? [],
      onChange(info) {
        setUploading((all) => ({
          ...all,
          [requirement.kind]: info.fileList.filter((f) => f.status === 'uploading'),
        }));
        if (info.file.status === 'done') {
          void message.success(`${info.file.name}：${w('uploaded')}`);
          void load();
        } else if (info.file.status === 'error') {
          const status = (info.file.error as { status?: number } | undefined)?.status ?? 0;
          void message.error(
            `${info.file.name}：${refusal(status, info.file.response as { message?: string }, requirement)}`,
            6,
          );
        }
      },
    };
  }

  if (!view) return <Card size="small" loading />;
  const label = (l: { zh: string; en: string }) => (locale === 'en' ? l.en : l.zh);
  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('materials')}</h2>}
      extra={<span style={{ color: '#595959' }}>{w('limits')}</span>}
      style={{ marginBottom: 16 }}
    >
      <Table<Requirement>
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={view.requirements}
        columns={[
          {
            title: w('materialKind'),
            render: (_, r) => (
              <Space>
                {label(r.label)}
                {r.required ? <Tag color="red">{w('required')}</Tag> : <Tag>{w('optional')}</Tag>}
              </Space>
            ),
          },
          {
            title: w('accepted'),
            render: (_, r) => r.mediaTypes.map((t) => TYPE_NAMES[t] ?? t).join('、'),
          },
          {
            title: w('file'),
            render: (_, r) => (
              <>
                {view.materials
                  .filter((m) => m.kind === r.kind)
                  .map((m) => (
                    <div key={m.id}>
                      {/* Underlined: a link beside text must not be told apart by colour alone (axe link-in-text-block). */}
                      <a href={m.href} download={m.fileName} style={{ textDecoration: 'underline' }}>
                        {m.fileName}
                      </a>{' '}
                      <span style={{ color: '#595959' }}>（{formatSize(m.size)}）</span>
                      {editable && (
                        <Popconfirm
                          title={w('confirmRemove')}
                          okText={w('confirm')}
                          cancelText={w('cancel')}
                          onConfirm={() => remove(m)}
                        >
                          <Button type="link" size="small" danger>
                            {w('remove')}
                          </Button>
                        </Popconfirm>
                      )}
                    </div>
                  ))}
                {editable && (
                  <Upload {...uploadProps(r)}>
                    <Button size="small" aria-label={`${w('upload')}${label(r.label)}`}>
                      {w('upload')}
                    </Button>
                  </Upload>
                )}
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
