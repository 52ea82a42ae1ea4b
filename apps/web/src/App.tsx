import { App as AntApp, ConfigProvider, Spin } from 'antd';
import 'antd/dist/antd.css';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { api, type Me } from './api';
import { LabelsContext, type Locale } from './labels';
import { preloadable } from './preloadable';
import { preloaded } from './preloaded';
import { SignIn } from './SignIn';
import { TotpEnrolment } from './TotpEnrolment';

// Code split per role: an officer's browser loads only the officer's screens.
const OfficerApp = preloadable(() => import('./officer/OfficerApp'));
const ExpertApp = preloadable(() => import('./expert/ExpertApp'));
const AuditorApp = preloadable(() => import('./auditor/AuditorApp'));
const EnterpriseApp = preloadable(() => import('./enterprise/EnterpriseApp'));
// The public pages (no sign-in): an enterprise's registration, the lists in publicity.
const Register = lazy(() => import('./public/Register'));
const Publicity = lazy(() => import('./public/Publicity'));
const ResetPassword = lazy(() => import('./public/ResetPassword'));

/**
 * Loads the modules the page at `path` needs for `role` (the workspace's, and the screen's own
 * where it is lazy), so that the first render finds them all and does not suspend; boot.ts has
 * usually fetched their chunks already.
 */
export async function preloadPage(role: string, path: string): Promise<void> {
  if (role === 'officer') {
    await OfficerApp.preload();
    const officer = await import('./officer/OfficerApp');
    await officer.preloadScreen(path);
  } else if (role === 'auditor') await AuditorApp.preload();
  else if (role === 'expert') await ExpertApp.preload();
  else if (role === 'enterprise') await EnterpriseApp.preload();
}

const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** `initialMe`: who boot.ts found signed in (null: nobody), or undefined to ask here. */
export function App({ initialMe }: { initialMe?: Me | null }) {
  const [me, setMe] = useState<Me | null | undefined>(initialMe);
  const [labels, setLabels] = useState<{
    'zh-CN': Record<string, Record<string, string>>;
    en: Record<string, Record<string, string>>;
  } | null>(() => preloaded('/v1/labels') ?? null);
  const [locale, setLocale] = useState<Locale>(localStorage.getItem('locale') === 'en' ? 'en' : 'zh-CN');

  const refresh = useCallback(async () => {
    const res = await api.GET('/v1/me' as never);
    setMe(res.response.ok ? (res.data as unknown as Me) : null);
  }, []);
  useEffect(() => {
    if (initialMe === undefined) void refresh();
  }, [initialMe, refresh]);
  useEffect(() => {
    // The catalogue is the same for everyone: asked once, when someone is signed in.
    if (!me || labels) return;
    void api.GET('/v1/labels').then((res) => res.data && setLabels(res.data as never));
  }, [me, labels]);
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem('locale', locale);
  }, [locale]);

  const toggleLocale = () => setLocale((l) => (l === 'en' ? 'zh-CN' : 'en'));

  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      theme={{
        zeroRuntime: true,
        // Darker than antd's defaults so text meets WCAG AA contrast (4.5:1) everywhere.
        token: {
          colorPrimary: '#0a4a9e',
          colorLink: '#0a4a9e',
          colorError: '#b3161d',
          colorTextPlaceholder: '#666666',
          colorTextDescription: '#595959',
          colorTextTertiary: '#595959',
          colorTextQuaternary: '#666666',
          // People who ask their system for less motion get none (WCAG 2.3.3).
          motion: !reducedMotion,
        },
      }}
    >
      <AntApp>
        <LabelsContext.Provider value={{ labels, locale }}>
          <BrowserRouter>
            {me === undefined ? (
              <Spin fullscreen />
            ) : me === null ? (
              <Routes>
                <Route path="/sign-in" element={<SignIn onSignedIn={refresh} />} />
                <Route
                  path="/register"
                  element={
                    <Suspense fallback={<Spin fullscreen />}>
                      <Register />
                    </Suspense>
                  }
                />
                <Route
                  path="/reset-password"
                  element={
                    <Suspense fallback={<Spin fullscreen />}>
                      <ResetPassword />
                    </Suspense>
                  }
                />
                <Route
                  path="/publicity/*"
                  element={
                    <Suspense fallback={<Spin fullscreen />}>
                      <Publicity />
                    </Suspense>
                  }
                />
                <Route path="*" element={<Navigate to="/sign-in" replace />} />
              </Routes>
            ) : me.totpEnrolmentRequired ? (
              <TotpEnrolment me={me} onEnrolled={refresh} onSignedOut={() => setMe(null)} />
            ) : (
              <Suspense fallback={<Spin fullscreen />}>
                {me.role === 'officer' ? (
                  <OfficerApp me={me} onSignedOut={() => setMe(null)} toggleLocale={toggleLocale} />
                ) : me.role === 'expert' ? (
                  <ExpertApp me={me} onSignedOut={() => setMe(null)} toggleLocale={toggleLocale} />
                ) : me.role === 'auditor' ? (
                  <AuditorApp me={me} onSignedOut={() => setMe(null)} toggleLocale={toggleLocale} />
                ) : me.role === 'enterprise' ? (
                  <EnterpriseApp me={me} onSignedOut={() => setMe(null)} toggleLocale={toggleLocale} />
                ) : (
                  <main style={{ padding: 48 }}>
                    <h1>企业培育库</h1>
                    <p>
                      {me.name}：该角色的工作台将在后续版本提供。 (The {me.role} workspace comes in a later
                      release.)
                    </p>
                  </main>
                )}
              </Suspense>
            )}
          </BrowserRouter>
        </LabelsContext.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
