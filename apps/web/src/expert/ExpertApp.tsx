import { Navigate, Route, Routes } from 'react-router';
import { type RoleAppProps, Workspace } from '../Workspace';
import { Assignments } from './Assignments';
import { ReviewPage } from './ReviewPage';
import { useExpertWords } from './words';

/** The expert's workspace: my assignments, and one application at a time in its blind view. */
export default function ExpertApp(props: RoleAppProps) {
  const x = useExpertWords();
  return (
    <Workspace
      {...props}
      heading="企业培育库 · 专家评审"
      menu={[{ path: '/', label: x('assignments') }]}
      selected="/"
    >
      <Routes>
        <Route path="/" element={<Assignments />} />
        <Route path="/applications/:id" element={<ReviewPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Workspace>
  );
}
